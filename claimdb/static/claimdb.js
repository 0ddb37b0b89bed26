/* claimdb: small progressive enhancements. Plain ES2017, no dependencies, loaded with `defer`.
   Every page works without this file; it only makes the common tasks quicker.
   Contracts (markup other templates emit):
     .lookup[data-lookup-url][data-create-url]  searchable select over a text input holding an id
     .source-body[data-new-statement-url]         "New statement from selection" button
     form[data-confirm], button[data-confirm]     confirm() before submitting
     [data-copy]                                  copy a value to the clipboard
     [data-statement-id]                          click toggles .is-current; #statement-ID flashes it */
(function () {
  "use strict";

  const claimdb = (window.claimdb = window.claimdb || {});
  document.documentElement.classList.remove("no-js");
  document.documentElement.classList.add("js");

  function csrfToken() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  let uid = 0;
  function ensureId(el, prefix) {
    if (!el.id) el.id = (prefix || "claimdb") + "-" + ++uid;
    return el.id;
  }

  /* One polite live region for announcements (result counts, "Copied"). */
  let liveRegion = null;
  function announce(text) {
    if (!liveRegion) {
      liveRegion = document.createElement("div");
      liveRegion.className = "visually-hidden";
      liveRegion.setAttribute("aria-live", "polite");
      liveRegion.setAttribute("role", "status");
      document.body.appendChild(liveRegion);
    }
    liveRegion.textContent = "";
    window.setTimeout(function () { liveRegion.textContent = text; }, 50);
  }

  /* ------------------------------------------------------------------ navigation (small screens) */
  function enhanceNav() {
    const toggle = document.querySelector(".nav-toggle");
    const nav = document.getElementById("site-nav");
    if (!toggle || !nav) return;
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      const open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      nav.classList.toggle("is-open", open);
    });
  }

  /* ------------------------------------------------------------------ 1. searchable select */
  const KIND_LABELS = { person: "a person", organization: "an organization", faction: "a faction",
    media: "a media outlet", government: "a government", group: "a group", unknown: "(kind unknown)" };
  function kindLabel(kind) { return KIND_LABELS[kind] || kind; }

  function enhanceLookup(root) {
    if (root.dataset.enhanced) return;
    const label = root.querySelector("label");
    const forId = label && label.getAttribute("for");
    const real = (forId && document.getElementById(forId)) ||
      root.querySelector('input[type="text"], input:not([type])');
    if (!real) return;
    root.dataset.enhanced = "1";
    root.classList.add("is-enhanced");

    const url = root.dataset.lookupUrl;
    const createUrl = root.dataset.createUrl || "";
    // Actor kinds to create a missing record as ("person,organization,…"): one option each.
    const createKinds = (root.dataset.createKinds || "").split(",").filter(Boolean);
    const base = ensureId(real, "lookup");
    let shown = root.querySelector(".lookup-label");
    if (!shown) {
      shown = document.createElement("span");
      shown.className = "lookup-label";
      root.appendChild(shown);
    }
    shown.setAttribute("aria-live", "polite");

    const search = document.createElement("input");
    search.type = "text";
    search.id = base + "-search";
    search.className = "lookup-search" + (real.classList.contains("is-invalid") ? " is-invalid" : "");
    search.autocomplete = "off";
    search.spellcheck = false;
    search.setAttribute("role", "combobox");
    search.setAttribute("aria-autocomplete", "list");
    search.setAttribute("aria-expanded", "false");
    search.setAttribute("aria-controls", base + "-listbox");
    ["aria-describedby", "aria-invalid", "placeholder", "required", "autofocus"].forEach(function (a) {
      if (real.hasAttribute(a)) search.setAttribute(a, real.getAttribute(a));
    });
    if (!search.placeholder) search.placeholder = "Type to search";
    search.value = shown.textContent.trim() || real.value;

    const list = document.createElement("ul");
    list.id = base + "-listbox";
    list.className = "lookup-list";
    list.setAttribute("role", "listbox");
    if (label) {
      label.setAttribute("for", search.id);
      list.setAttribute("aria-labelledby", ensureId(label, "lookup-label"));
    }
    list.hidden = true;

    const problem = document.createElement("span");
    problem.className = "lookup-error";
    problem.id = base + "-lookup-error";
    problem.setAttribute("role", "alert");

    // The real input stays in the form (it is what gets submitted) but leaves sight and tab order.
    real.classList.add("visually-hidden");
    real.tabIndex = -1;
    real.setAttribute("aria-hidden", "true");
    real.removeAttribute("required");
    real.removeAttribute("autofocus");
    real.insertAdjacentElement("afterend", search);
    search.insertAdjacentElement("afterend", list);
    shown.insertAdjacentElement("afterend", problem);
    if (search.hasAttribute("autofocus")) search.focus();

    let options = []; // [{id, label, detail, create?}]
    let active = -1;
    let timer = 0;
    let seq = 0;
    let controller = null;
    let chosenText = search.value; // the text of the record the real input points at

    function setDescribed(withError) {
      const ids = (search.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (x) {
        return x && x !== problem.id;
      });
      if (withError) ids.push(problem.id);
      if (ids.length) search.setAttribute("aria-describedby", ids.join(" "));
      else search.removeAttribute("aria-describedby");
    }
    function showProblem(text) {
      problem.textContent = text || "";
      setDescribed(Boolean(text));
    }

    function close() {
      list.hidden = true;
      search.setAttribute("aria-expanded", "false");
      search.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function setActive(i) {
      const items = list.querySelectorAll('[role="option"]');
      if (!items.length) return;
      active = (i + items.length) % items.length;
      items.forEach(function (el, n) {
        el.classList.toggle("is-active", n === active);
        el.setAttribute("aria-selected", n === active ? "true" : "false");
      });
      search.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    }

    function render(text) {
      list.textContent = "";
      active = -1;
      options.forEach(function (opt, n) {
        const li = document.createElement("li");
        li.id = base + "-option-" + n;
        li.className = "lookup-option" + (opt.create ? " lookup-option-create" : "");
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        const main = document.createElement("span");
        main.className = "lookup-option-label";
        main.textContent = opt.create
          ? "Create \u201c" + opt.label + "\u201d" + (opt.kind ? " as " + kindLabel(opt.kind) : "\u2026")
          : opt.label;
        li.appendChild(main);
        if (opt.detail) {
          const d = document.createElement("span");
          d.className = "lookup-option-detail";
          d.textContent = opt.detail;
          li.appendChild(d);
        }
        // mousedown would blur the search box first; keep focus and choose on click.
        li.addEventListener("mousedown", function (e) { e.preventDefault(); });
        li.addEventListener("click", function () { choose(n); });
        list.appendChild(li);
      });
      if (!options.length) {
        const li = document.createElement("li");
        li.className = "lookup-empty";
        li.textContent = "No matches for \u201c" + text + "\u201d";
        list.appendChild(li);
      }
      list.hidden = false;
      search.setAttribute("aria-expanded", "true");
      search.removeAttribute("aria-activedescendant");
      const found = options.filter(function (o) { return !o.create; }).length;
      announce(found === 1 ? "1 match" : found + " matches" +
        (options.length > found ? "; the options after them create a new record" : ""));
    }

    function fetchOptions(text) {
      const mine = ++seq;
      if (controller) controller.abort();
      controller = typeof AbortController === "function" ? new AbortController() : null;
      const target = new URL(url, window.location.href);
      target.searchParams.set("q", text);
      return fetch(target.toString(), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: controller ? controller.signal : undefined,
      })
        .then(function (r) {
          if (!r.ok) throw new Error("Search failed (" + r.status + ")");
          return r.json();
        })
        .then(function (rows) {
          if (mine !== seq || search.value.trim() !== text) return;
          rows = Array.isArray(rows) ? rows : rows.items || [];
          options = rows.map(function (r) {
            return { id: r.id, label: String(r.label), detail: r.detail || "" };
          });
          const lower = text.toLowerCase();
          const exact = options.some(function (o) { return o.label.trim().toLowerCase() === lower; });
          if (createUrl && !exact) {
            if (createKinds.length) createKinds.forEach(function (k) { options.push({ create: true, label: text, kind: k }); });
            else options.push({ create: true, label: text });
          }
          showProblem("");
          if (document.activeElement === search) render(text);
        })
        .catch(function (err) {
          if (err && err.name === "AbortError") return;
          if (mine === seq) showProblem(err.message || "Search failed");
        });
    }

    function select(id, text) {
      real.value = String(id);
      shown.textContent = text;
      search.value = text;
      chosenText = text;
      showProblem("");
      close();
      real.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function choose(n) {
      const opt = options[n];
      if (!opt) return;
      if (!opt.create) {
        select(opt.id, opt.label);
        return;
      }
      close();
      fetch(createUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify(opt.kind ? { name: opt.label, kind: opt.kind } : { name: opt.label }),
      })
        .then(function (r) {
          return r.json().catch(function () { return {}; }).then(function (body) {
            if (r.status !== 201 && !r.ok) {
              let msg = body.detail || body.title || "Could not create \u201c" + opt.label + "\u201d (" + r.status + ")";
              if (body.errors && body.errors.name && msg.indexOf(body.errors.name) < 0) msg += ": " + body.errors.name;
              throw new Error(msg);
            }
            select(body.id, body.label || opt.label);
            announce("Created and selected " + (body.label || opt.label));
          });
        })
        .catch(function (err) {
          showProblem(err.message || "Could not create the record");
          search.focus();
        });
    }

    function scheduleSearch() {
      window.clearTimeout(timer);
      const text = search.value.trim();
      if (!text) {
        seq++;
        close();
        return;
      }
      timer = window.setTimeout(function () { fetchOptions(text); }, 150);
    }

    search.addEventListener("input", function () {
      const text = search.value.trim();
      showProblem("");
      if (text !== chosenText) {
        // Not chosen from the list (yet): submit what was typed; the server resolves a name too.
        real.value = text;
        shown.textContent = "";
        chosenText = null;
      }
      scheduleSearch();
    });

    search.addEventListener("keydown", function (e) {
      const open = !list.hidden;
      switch (e.key) {
        case "ArrowDown":
        case "ArrowUp":
          e.preventDefault();
          if (!open) {
            if (search.value.trim()) fetchOptions(search.value.trim()).then(function () {
              if (!list.hidden) setActive(e.key === "ArrowDown" ? 0 : -1);
            });
            return;
          }
          setActive(active < 0 && e.key === "ArrowUp" ? -1 : active + (e.key === "ArrowDown" ? 1 : -1));
          break;
        case "Enter":
          if (open && active >= 0) {
            e.preventDefault();
            choose(active);
          } else if (open) {
            e.preventDefault(); // a half-typed lookup should not submit the form
            close();
          }
          break;
        case "Escape":
          if (open) {
            e.preventDefault();
            close();
          }
          break;
        case "Tab":
          close();
          break;
        default:
      }
    });

    search.addEventListener("blur", function () {
      window.setTimeout(function () {
        if (document.activeElement === search) return;
        close();
        const text = search.value.trim();
        if (!text) {
          real.value = "";
          shown.textContent = "";
          chosenText = "";
          return;
        }
        if (chosenText === null) {
          // Typed exactly one known label and left: that is a choice.
          const matches = options.filter(function (o) {
            return !o.create && o.label.trim().toLowerCase() === text.toLowerCase();
          });
          if (matches.length === 1) select(matches[0].id, matches[0].label);
        }
      }, 120);
    });
  }

  /* ------------------------------------------------------------------ 2. selection → new statement */

  /* Character offset of a DOM boundary point within container.textContent. */
  function textOffset(container, node, offset) {
    if (node.nodeType === Node.TEXT_NODE && node === container) return offset;
    const point = document.createRange();
    point.setStart(node, offset);
    point.collapse(true);
    const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
    let total = 0;
    let t;
    while ((t = walker.nextNode())) {
      if (t === node) return total + offset;
      // Text nodes wholly before the boundary point count in full; the first one after it ends the walk.
      if (point.comparePoint(t, t.length) <= 0) total += t.length;
      else break;
    }
    return total;
  }

  /* {start, end, text} of the current selection within container, or null. Offsets index
     container.textContent; a selection reaching outside is clipped to it; edge whitespace is trimmed. */
  function selectionOffsets(container) {
    const sel = window.getSelection();
    if (!container || !sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    const range = sel.getRangeAt(0);
    const whole = document.createRange();
    whole.selectNodeContents(container);
    let startPos;
    let endPos;
    try {
      startPos = whole.comparePoint(range.startContainer, range.startOffset);
      endPos = whole.comparePoint(range.endContainer, range.endOffset);
    } catch (err) {
      return null; // a different document or shadow tree
    }
    if (startPos > 0 || endPos < 0) return null; // entirely after or before the container
    const body = container.textContent;
    let start = startPos < 0 ? 0 : textOffset(container, range.startContainer, range.startOffset);
    let end = endPos > 0 ? body.length : textOffset(container, range.endContainer, range.endOffset);
    while (start < end && /\s/.test(body[start])) start++;
    while (end > start && /\s/.test(body[end - 1])) end--;
    if (end <= start) return null;
    return { start: start, end: end, text: body.slice(start, end) };
  }
  claimdb.selectionOffsets = selectionOffsets;

  function newStatementHref(baseUrl, sel) {
    return baseUrl + (baseUrl.indexOf("?") >= 0 ? "&" : "?") +
      "span_start=" + sel.start + "&span_end=" + sel.end + "&text=" + encodeURIComponent(sel.text);
  }
  claimdb.newStatementHref = newStatementHref;

  function enhanceSourceBody(container) {
    const baseUrl = container.dataset.newStatementUrl;
    if (!baseUrl || container.dataset.enhanced) return;
    container.dataset.enhanced = "1";

    const button = document.createElement("button");
    button.type = "button";
    button.className = "button selection-action";
    button.textContent = "New statement from selection";
    button.hidden = true;
    // Next in tab order after the text, so a keyboard selection is one Tab away from the button.
    container.insertAdjacentElement("afterend", button);
    let href = null;

    button.addEventListener("mousedown", function (e) { e.preventDefault(); }); // keep the selection
    button.addEventListener("click", function () {
      if (href) window.location.assign(href);
    });

    function place() {
      const sel = window.getSelection();
      if (!sel || !sel.rangeCount) return;
      const range = sel.getRangeAt(0);
      const rects = range.getClientRects();
      const r = rects.length ? rects[rects.length - 1] : range.getBoundingClientRect();
      const box = container.getBoundingClientRect();
      const width = button.offsetWidth || 240;
      const height = button.offsetHeight || 40;
      const vw = document.documentElement.clientWidth;
      const vh = document.documentElement.clientHeight;
      let left = Math.min(Math.max(r.right - width / 2, 8), vw - width - 8);
      let top = r.bottom + 8;
      if (top + height > vh - 8) top = Math.max(r.top - height - 8, 8);
      // Keep it near the text even when the selection extends past the container.
      if (r.bottom < box.top || r.top > box.bottom) top = Math.min(Math.max(box.top, 8), vh - height - 8);
      button.style.left = left + "px";
      button.style.top = top + "px";
    }

    function update() {
      const sel = selectionOffsets(container);
      if (!sel) {
        if (document.activeElement !== button) {
          button.hidden = true;
          href = null;
        }
        return;
      }
      const wasHidden = button.hidden;
      href = newStatementHref(baseUrl, sel);
      button.dataset.spanStart = sel.start;
      button.dataset.spanEnd = sel.end;
      button.setAttribute("aria-label", "New statement from selection: characters " + sel.start + " to " + sel.end);
      button.hidden = false;
      place();
      if (wasHidden) announce("Text selected. Press Tab for \u201cNew statement from selection\u201d.");
    }

    let frame = 0;
    function schedule() {
      window.cancelAnimationFrame(frame);
      frame = window.requestAnimationFrame(update);
    }
    document.addEventListener("selectionchange", schedule);
    container.addEventListener("mouseup", schedule);
    container.addEventListener("keyup", schedule);
    button.addEventListener("blur", schedule);
    window.addEventListener("scroll", function () { if (!button.hidden) place(); }, { passive: true });
    window.addEventListener("resize", function () { if (!button.hidden) place(); });
    // Tab from a selection in the text goes straight to the button, not to the next span link.
    document.addEventListener("keydown", function (e) {
      if (e.key !== "Tab" || e.shiftKey || button.hidden || document.activeElement === button) return;
      const active = document.activeElement;
      if (active && active !== document.body && !container.contains(active)) return;
      if (!selectionOffsets(container)) return;
      e.preventDefault();
      button.focus();
    });
    button.addEventListener("keydown", function (e) {
      if (e.key === "Escape") {
        button.hidden = true;
        const s = window.getSelection();
        if (s) s.removeAllRanges();
      }
    });
  }

  /* ------------------------------------------------------------------ 3. confirm before submit */
  function enhanceConfirm() {
    document.addEventListener("click", function (e) {
      const b = e.target.closest && e.target.closest("button[data-confirm], input[data-confirm]");
      if (!b) return;
      if (!window.confirm(b.getAttribute("data-confirm") || "Are you sure?")) {
        e.preventDefault();
        e.stopImmediatePropagation();
        return;
      }
      // The form's own prompt (if any) is not asked again for this submission.
      if (b.form) {
        b.form.dataset.confirmed = "1";
        window.setTimeout(function () { delete b.form.dataset.confirmed; }, 0);
      }
    }, true);
    document.addEventListener("submit", function (e) {
      const form = e.target;
      if (!form.hasAttribute("data-confirm") || form.dataset.confirmed) return;
      if (!window.confirm(form.getAttribute("data-confirm") || "Are you sure?")) e.preventDefault();
    });
  }

  /* ------------------------------------------------------------------ 4. copy to clipboard */
  function copyValue(el) {
    const ref = el.getAttribute("data-copy");
    let source = el;
    if (ref && ref.charAt(0) === "#") source = document.getElementById(ref.slice(1)) || el;
    if (ref && ref.charAt(0) !== "#") return ref;
    return "value" in source && source.tagName !== "BUTTON" ? source.value : source.textContent.trim();
  }

  function fallbackCopy(text) {
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    let ok = false;
    try { ok = document.execCommand("copy"); } catch (err) { ok = false; }
    area.remove();
    return ok ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }

  function copied(el, ok) {
    let status = el.nextElementSibling;
    if (!status || !status.classList.contains("copy-status")) {
      status = document.createElement("span");
      status.className = "copy-status";
      status.setAttribute("role", "status");
      el.insertAdjacentElement("afterend", status);
    }
    status.textContent = ok ? "Copied" : "Press Ctrl+C to copy";
    window.clearTimeout(status._timer);
    status._timer = window.setTimeout(function () { status.textContent = ""; }, 2500);
    if (!ok && "select" in el) el.select();
  }

  function doCopy(el) {
    const text = copyValue(el);
    const write = navigator.clipboard && window.isSecureContext
      ? navigator.clipboard.writeText(text).catch(function () { return fallbackCopy(text); })
      : fallbackCopy(text);
    write.then(function () { copied(el, true); }, function () { copied(el, false); });
  }

  function enhanceCopy() {
    document.querySelectorAll("[data-copy]").forEach(function (el) {
      const native = /^(BUTTON|A|INPUT|TEXTAREA|SELECT)$/.test(el.tagName);
      if (!native) {
        el.tabIndex = 0;
        el.setAttribute("role", "button");
      }
      if (!el.title) el.title = "Copy to clipboard";
      if (!native && !el.hasAttribute("aria-label")) el.setAttribute("aria-label", "Copy " + copyValue(el));
    });
    document.addEventListener("click", function (e) {
      const el = e.target.closest && e.target.closest("[data-copy]");
      if (!el) return;
      if (el.tagName === "A") e.preventDefault();
      if ("select" in el) el.select();
      doCopy(el);
    });
    document.addEventListener("keydown", function (e) {
      const el = e.target;
      if (!el.matches || !el.matches("[data-copy][role=button]")) return;
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        doCopy(el);
      }
    });
  }

  /* ------------------------------------------------------------------ 5. statement spans */
  function spansFor(id) {
    return document.querySelectorAll('[data-statement-id="' + String(id).replace(/[^0-9A-Za-z_-]/g, "") + '"]');
  }

  function showStatementFromHash() {
    const m = /^#statement-(\d+)$/.exec(window.location.hash);
    if (!m) return;
    const spans = Array.prototype.filter.call(spansFor(m[1]), function (el) { return el.closest(".source-body"); });
    if (!spans.length) return;
    document.querySelectorAll(".source-body .is-current").forEach(function (el) { el.classList.remove("is-current"); });
    spans.forEach(function (el) {
      el.classList.add("is-current");
      el.classList.remove("is-flash");
      void el.offsetWidth; // restart the animation
      el.classList.add("is-flash");
    });
    const reduce = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    spans[0].scrollIntoView({ block: "center", behavior: reduce ? "auto" : "smooth" });
  }

  function enhanceSpans() {
    document.addEventListener("click", function (e) {
      const el = e.target.closest && e.target.closest("[data-statement-id]");
      if (!el) return;
      const body = el.closest(".source-body");
      // Releasing the mouse after selecting text inside a span is not a click on its link.
      if (body && selectionOffsets(body)) {
        e.preventDefault();
        return;
      }
      const on = !el.classList.contains("is-current");
      document.querySelectorAll("[data-statement-id].is-current").forEach(function (x) { x.classList.remove("is-current"); });
      if (on) spansFor(el.getAttribute("data-statement-id")).forEach(function (x) { x.classList.add("is-current"); });
      // A span nested in another span's link (an <a> cannot hold an <a>) is not that link:
      // it follows its own data-href if it has one, and otherwise only highlights.
      const link = el.closest("a[href]");
      if (link && !el.contains(link) && link !== el) {
        e.preventDefault();
        if (el.dataset.href) window.location.assign(el.dataset.href);
      }
    });
    window.addEventListener("hashchange", showStatementFromHash);
    showStatementFromHash();
  }

  /* ------------------------------------------------------------------ small things */
  function enhanceSortHeaders() {
    document.querySelectorAll(".sort-link[data-aria-sort]").forEach(function (a) {
      const th = a.closest("th");
      if (th && !th.hasAttribute("aria-sort")) th.setAttribute("aria-sort", a.getAttribute("data-aria-sort"));
    });
  }

  /* Printed pages spell out external link targets, except where the link text already is the URL. */
  function markSelfDescribingLinks() {
    document.querySelectorAll('main a[href^="http"]').forEach(function (a) {
      const text = a.textContent.trim().replace(/\/$/, "");
      if (text === a.href.replace(/\/$/, "") || text === a.getAttribute("href").replace(/\/$/, "")) a.classList.add("no-print-url");
    });
  }

  function focusErrorSummary() {
    const summary = document.querySelector(".error-summary");
    if (summary && !document.querySelector("[autofocus]")) summary.focus();
    // Links in the summary move focus to the field, not just scroll to it.
    document.addEventListener("click", function (e) {
      const a = e.target.closest && e.target.closest(".error-summary a[href^='#']");
      if (!a) return;
      const target = document.getElementById(a.getAttribute("href").slice(1));
      if (!target) return;
      e.preventDefault();
      const lookupSearch = document.getElementById(target.id + "-search");
      const focusable = lookupSearch || (target.matches("fieldset") ? target.querySelector("input, select, textarea") : target);
      const anchor = target.closest(".field") || target;
      anchor.scrollIntoView({ block: "start" });
      if (focusable) focusable.focus({ preventScroll: true });
    });
  }

  claimdb.enhanceLookup = enhanceLookup;
  claimdb.enhanceSourceBody = enhanceSourceBody;

  function init() {
    enhanceNav();
    document.querySelectorAll(".lookup[data-lookup-url]").forEach(enhanceLookup);
    document.querySelectorAll(".source-body[data-new-statement-url]").forEach(enhanceSourceBody);
    enhanceConfirm();
    enhanceCopy();
    enhanceSpans();
    enhanceSortHeaders();
    markSelfDescribingLinks();
    focusErrorSummary();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
