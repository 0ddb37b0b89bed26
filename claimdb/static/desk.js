/* claimdb: the analyst's desk (source page and statement form). Plain ES2017, loaded with `defer` after
   claimdb.js; every page works without it.
   Source page: a highlight's margin note appears beside it on hover and keyboard focus; the speaker
   legend shows or hides a speaker's highlights; a selection opens the confirm card (Record, Edit…, Escape);
   `n` opens the full statement form for the selection.
   Statement form: "speakers in this source" set the speaker field in place (the links reload otherwise). */
(function () {
  "use strict";

  const claimdb = (window.claimdb = window.claimdb || {});

  /* ---------------------------------------------------------------- margin notes */
  function enhanceMargin(body) {
    const layout = body.closest(".annotated");
    const margin = layout && layout.querySelector(".annotation-margin");
    if (!margin) return;
    const list = margin.querySelector("ol.cards");
    let active = null;
    let activeSpans = [];

    function wide() { return window.matchMedia("(min-width: 64rem)").matches; }

    // A suggestion's card lives in #suggestions below the text; on a wide screen a copy of it shows in the
    // margin beside its dashed highlight (ids stripped), like a statement's note.
    function cardFor(el) {
      const n = el.getAttribute("data-suggestion");
      if (n === null) {
        const id = el.getAttribute("data-statement-id");
        return { key: "s" + id, card: document.getElementById("card-" + id),
          spans: body.querySelectorAll('[data-statement-id="' + id + '"]') };
      }
      const original = document.getElementById("suggestion-" + n);
      if (!original) return null;
      let card = original;
      if (wide()) {
        card = list.querySelector('[data-copy-of="' + original.id + '"]');
        if (!card) {
          card = original.cloneNode(true);
          card.removeAttribute("id");
          card.querySelectorAll("[id]").forEach(function (x) { x.removeAttribute("id"); });
          card.setAttribute("data-copy-of", original.id);
          card.classList.add("margin-suggestion");
          list.appendChild(card);
        }
      }
      return { key: "g" + n, card: card, spans: body.querySelectorAll('[data-suggestion="' + n + '"]') };
    }

    function show(el) {
      const found = cardFor(el);
      const card = found && found.card;
      if (!card || card === active) return;
      hide();
      active = card;
      card.classList.add("is-active");
      margin.classList.add("has-active");
      activeSpans = Array.prototype.slice.call(found.spans);
      activeSpans.forEach(function (x) { x.classList.add("is-active"); });
      if (wide() && margin.contains(card)) {
        const top = el.getBoundingClientRect().top - margin.getBoundingClientRect().top;
        const room = margin.offsetHeight - card.offsetHeight;
        card.style.top = Math.max(0, Math.min(top, room > 0 ? room : top)) + "px";
      } else {
        card.style.top = "";
      }
    }
    function hide() {
      if (!active) return;
      active.classList.remove("is-active");
      if (active.hasAttribute("data-copy-of") && !active.contains(document.activeElement)) active.remove();
      margin.classList.remove("has-active");
      activeSpans.forEach(function (el) { el.classList.remove("is-active"); });
      active = null;
      activeSpans = [];
    }
    function spanOf(target) {
      return target && target.closest ? target.closest(".source-body [data-statement-id], .source-body [data-suggestion]") : null;
    }
    body.addEventListener("mouseover", function (e) {
      const el = spanOf(e.target);
      if (el) show(el);
    });
    body.addEventListener("focusin", function (e) {
      const el = spanOf(e.target);
      if (el) show(el);
    });
    // Enter on a focused suggestion goes to its card's Accept button (the card holds its actions).
    body.addEventListener("keydown", function (e) {
      const el = e.key === "Enter" && e.target.matches && e.target.matches("[data-suggestion]") ? e.target : null;
      if (!el) return;
      show(el);
      const accept = active && active.querySelector("button[type=submit]");
      if (accept) { e.preventDefault(); accept.focus(); }
    });
    // The note stays while the pointer moves onto it (to follow its links), and goes when it leaves both.
    let timer = 0;
    function later() { window.clearTimeout(timer); timer = window.setTimeout(function () {
      if (!margin.matches(":hover") && !margin.contains(document.activeElement) &&
          !body.matches(":hover") && !body.contains(document.activeElement)) hide();
    }, 400); }
    body.addEventListener("mouseleave", later);
    margin.addEventListener("mouseleave", later);
    body.addEventListener("focusout", later);
    margin.addEventListener("focusout", later);
    document.addEventListener("keydown", function (e) { if (e.key === "Escape") hide(); });
  }

  /* ---------------------------------------------------------------- selecting with the keyboard */
  /* Page text has no caret of its own: once the text has focus (it is a Tab stop), the arrow keys move one
     (Ctrl: by word; Up and Down: by line; Ctrl+Home: to the start) and Shift with them selects, as in an
     editor; letting Shift go opens the confirm card. */
  function enhanceCaret(body) {
    if (!body.hasAttribute("tabindex")) body.tabIndex = 0;
    if (!body.hasAttribute("role")) body.setAttribute("role", "region");
    body.setAttribute("aria-label", "Source text: select with Shift and the arrow keys to record a statement");
    const STEP = { ArrowLeft: "backward", ArrowRight: "forward", ArrowUp: "backward", ArrowDown: "forward" };
    function inside(sel) {
      return sel.rangeCount > 0 && body.contains(sel.anchorNode) && body.contains(sel.focusNode);
    }
    function caretAt(node) {
      const sel = window.getSelection();
      const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
      const first = walker.nextNode();
      if (!first) return;
      sel.collapse(first, 0);
    }
    body.addEventListener("keydown", function (e) {
      if (e.key === "Home" && e.ctrlKey && !e.shiftKey) { // back to the start of the text
        caretAt(body);
        e.preventDefault();
        return;
      }
      const direction = STEP[e.key];
      if (!direction || e.altKey || e.metaKey) return;
      const sel = window.getSelection();
      if (!sel || typeof sel.modify !== "function") return;
      if (!inside(sel)) caretAt(e.target === body ? body : e.target);
      const granularity = e.key === "ArrowUp" || e.key === "ArrowDown" ? "line" : e.ctrlKey ? "word" : "character";
      sel.modify(e.shiftKey ? "extend" : "move", direction, granularity);
      e.preventDefault();
    });
  }

  /* ---------------------------------------------------------------- the confirm card */
  /* A selection in the text (mouse, or Shift and the arrow keys) opens a small non-modal card beside it with
     the server's guesses for that span (GET data-guess-url, the same the statement form prefills). Record
     (Enter; focus starts there) posts the ordinary create form with its CSRF token and comes back to the
     text; Edit… (or `n`) opens the full form with what the card holds; Escape closes it. Every guess is a
     field of the card: the speaker from the source's speakers or the actor look-up, without a reload. */
  function enhanceCard(body) {
    const card = document.getElementById("selection-card");
    if (!card || !claimdb.selectionOffsets || !window.fetch || !body.dataset.newStatementUrl) return;
    document.body.appendChild(card); // placed in page coordinates, above everything
    body.classList.add("has-card"); // (the page marks the text data-enhanced, so claimdb.js adds no plain button)
    const form = card.querySelector("form");
    const record = card.querySelector('button[type="submit"]');
    const edit = card.querySelector(".selection-card-edit");
    const picks = card.querySelector(".selection-card-picks:not(.selection-card-named)");
    const named = card.querySelector(".selection-card-named");
    const why = card.querySelector(".selection-card-why");
    const quoted = card.querySelector(".selection-card-text");
    const speakerBox = card.querySelector(".selection-card-speaker");
    const EDITABLE = ["speaker_id", "cue", "hedge", "quote_type", "stated", "reported_by_id"];
    let current = null; // the span the card is open for
    let initial = {};
    let seq = 0;

    function field(name) { return form.elements[name]; }
    function open() { return !card.hidden; }

    // A speaker named in the text but not recorded: one press creates it, of the kind pressed.
    const create = card.querySelector(".selection-card-create");
    const newName = card.querySelector(".selection-card-new-name");
    function offerCreate(name) {
      create.hidden = !name;
      newName.textContent = name ? "\u201c" + name + "\u201d" : "";
    }
    create.querySelectorAll("button[data-kind]").forEach(function (b) {
      b.addEventListener("click", function () {
        if (create.dataset.busy) return; // one actor per press, however fast the presses come
        create.dataset.busy = "1";
        const name = field("speaker_id").value;
        const meta = document.querySelector('meta[name="csrf-token"]');
        fetch(speakerBox.dataset.createUrl, {
          method: "POST", credentials: "same-origin",
          headers: { "Content-Type": "application/json", Accept: "application/json",
            "X-CSRFToken": meta ? meta.getAttribute("content") : "" },
          body: JSON.stringify({ name: name, kind: b.getAttribute("data-kind") }),
        })
          .then(function (r) { return r.json().then(function (data) { return { ok: r.ok, data: data }; }); })
          .then(function (answer) {
            if (!answer.ok) {
              why.textContent = answer.data.detail || "Could not create \u201c" + name + "\u201d.";
              return;
            }
            setSpeaker(answer.data.id, answer.data.label || name);
            offerCreate("");
            why.textContent = "Created \u201c" + (answer.data.label || name) + "\u201d as " + b.textContent + ".";
            record.focus();
          })
          .catch(function () { why.textContent = "Could not create \u201c" + name + "\u201d."; })
          .then(function () { delete create.dataset.busy; });
      });
    });
    field("speaker_id").addEventListener("change", function () {
      const value = field("speaker_id").value;
      if (/^\d+$/.test(value)) offerCreate("");
      picks.querySelectorAll("button").forEach(function (b) {
        b.setAttribute("aria-pressed", String(b.getAttribute("data-actor-id") === value));
      });
    });
    card.querySelector(".selection-card-other-kind").addEventListener("click", function () {
      const search = document.getElementById(field("speaker_id").id + "-search");
      if (search) {
        search.focus();
        search.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowDown", bubbles: true }));
      }
    });

    function setSpeaker(id, name) {
      const real = field("speaker_id");
      real.value = id === null || id === undefined ? (name || "") : String(id);
      const search = document.getElementById(real.id + "-search");
      if (search) search.value = name || "";
      const shown = speakerBox.querySelector(".lookup-label");
      if (shown) shown.textContent = id === null || id === undefined ? "" : name;
      picks.querySelectorAll("button").forEach(function (b) {
        b.setAttribute("aria-pressed", String(b.getAttribute("data-actor-id") === real.value));
      });
      named.querySelectorAll("button").forEach(function (b) {
        b.setAttribute("aria-pressed", String(b.textContent === name));
      });
      if (id !== null && id !== undefined) offerCreate("");
    }

    function snapshot() {
      const out = {};
      EDITABLE.forEach(function (name) { out[name] = field(name).value; });
      return out;
    }

    function fill(data) {
      const v = data.values || {};
      ["span_start", "span_end", "text"].forEach(function (name) { field(name).value = v[name] || ""; });
      ["cue", "hedge", "stated"].forEach(function (name) { field(name).value = v[name] || ""; });
      field("quote_type").value = v.quote_type || "indirect";
      const reporters = field("reported_by_id");
      while (reporters.options.length > 1) reporters.remove(1);
      (data.reporters || []).forEach(function (r) {
        const text = r.text.length > 60 ? r.text.slice(0, 59) + "\u2026" : r.text;
        reporters.add(new Option("#" + r.id + " " + r.speaker + " " + (r.cue || "said") + ": " + text, String(r.id)));
      });
      reporters.value = v.reported_by_id || "";
      // Nesting chosen on the page ("Select one in the text" from a statement) wins over the guess.
      const chosen = new URL(body.dataset.newStatementUrl, window.location.href).searchParams.get("reported_by_id");
      if (chosen) {
        if (!Array.prototype.some.call(reporters.options, function (o) { return o.value === chosen; })) {
          reporters.add(new Option("#" + chosen, chosen));
        }
        reporters.value = chosen;
      }
      picks.textContent = "";
      const said = document.createElement("span");
      said.className = "muted small";
      said.textContent = "In this source:";
      picks.appendChild(said);
      (data.speakers || []).forEach(function (a) {
        const b = document.createElement("button");
        b.type = "button";
        b.className = "button button-secondary button-small speaker-pick";
        b.setAttribute("data-actor-id", String(a.id));
        b.textContent = a.name;
        b.addEventListener("click", function () { setSpeaker(a.id, a.name); });
        picks.appendChild(b);
      });
      picks.hidden = !(data.speakers || []).length;
      // Named in the sentence: one press makes that one the speaker (a new name then offers to create it).
      named.textContent = "";
      const label = document.createElement("span");
      label.className = "muted small";
      label.textContent = "Named here:";
      named.appendChild(label);
      (data.named || []).forEach(function (a) {
        const b = document.createElement("button");
        b.type = "button";
        b.className = "button button-secondary button-small named-pick";
        b.textContent = a.name;
        b.addEventListener("click", function () {
          setSpeaker(a.id, a.name);
          offerCreate(a.id === null ? a.name : "");
          if (a.id === null) {
            const first = create.querySelector("button[data-kind]");
            if (first) first.focus();
          }
        });
        named.appendChild(b);
      });
      named.hidden = !(data.named || []).length;
      const sp = data.speaker;
      setSpeaker(sp ? sp.id : null, sp ? sp.name : "");
      offerCreate(sp && sp.id === null ? sp.name : "");
      const text = data.text || v.text || "";
      quoted.textContent = text.length > 90 ? text.slice(0, 89) + "\u2026" : text;
      const reasons = data.reasons || {};
      const names = { speaker_id: "speaker", cue: "cue", hedge: "hedge", quote_type: "quote type", stated: "date",
        reported_by_id: "reported through" };
      const guessed = Object.keys(reasons).map(function (k) { return (names[k] || k) + ": " + reasons[k]; });
      why.textContent = guessed.length ? "Guessed from the text \u2014 " + guessed.join("; ") : "";
      initial = snapshot();
    }

    // Beside the text, level with the selection, where the margin has room (the text stays readable);
    // otherwise just below the selection.
    function place(range) {
      const rects = range.getClientRects();
      const first = rects.length ? rects[0] : range.getBoundingClientRect();
      const last = rects.length ? rects[rects.length - 1] : first;
      const vw = document.documentElement.clientWidth;
      const width = card.offsetWidth;
      const text = body.getBoundingClientRect();
      let left;
      let top;
      if (vw - text.right >= width + 32) {
        left = text.right + 16;
        top = first.top - 8;
      } else {
        left = Math.min(Math.max(last.left, 8), Math.max(vw - width - 8, 8));
        top = last.bottom + 8;
      }
      card.style.left = left + window.scrollX + "px";
      card.style.top = top + window.scrollY + "px";
    }

    function editHref() {
      const base = body.dataset.newStatementUrl;
      const params = new URLSearchParams({ span_start: field("span_start").value, span_end: field("span_end").value,
        text: field("text").value });
      const now = snapshot();
      EDITABLE.forEach(function (name) { if (now[name] !== initial[name] && now[name]) params.set(name, now[name]); });
      return base + (base.indexOf("?") >= 0 ? "&" : "?") + params.toString();
    }

    function show() {
      const sel = claimdb.selectionOffsets(body);
      if (!sel) return;
      if (open() && current && current.start === sel.start && current.end === sel.end) return;
      const range = window.getSelection().getRangeAt(0).cloneRange();
      const mine = ++seq;
      current = sel;
      const url = new URL(card.dataset.guessUrl, window.location.href);
      url.searchParams.set("span_start", sel.start);
      url.searchParams.set("span_end", sel.end);
      fetch(url.toString(), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.json().then(function (data) { return { ok: r.ok, data: data }; }); })
        .then(function (answer) {
          if (mine !== seq) return;
          if (!answer.ok) {
            fill({ values: { span_start: String(sel.start), span_end: String(sel.end), text: sel.text } });
            why.textContent = answer.data.detail || "No guesses for this selection.";
          } else {
            fill(answer.data);
          }
          card.hidden = false;
          place(range);
          record.focus({ preventScroll: true });
          card.scrollIntoView({ block: "nearest" });
        })
        .catch(function () { if (mine === seq) current = null; });
    }

    function close(refocus) {
      if (!open()) return;
      seq++;
      card.hidden = true;
      current = null;
      if (refocus) body.focus({ preventScroll: true });
    }

    let frame = 0;
    function later() {
      window.cancelAnimationFrame(frame);
      frame = window.requestAnimationFrame(show);
    }
    body.addEventListener("mouseup", later);
    // Keyboard: Shift and the arrow keys select; the card opens when Shift is let go.
    // Only from the text: Shift let go while typing a capital elsewhere must not open it.
    document.addEventListener("keyup", function (e) {
      if (e.key === "Shift" && (e.target === document.body || body.contains(e.target))) later();
    });
    // Tab from a selection in the text opens the card (rather than going to the next highlight).
    window.addEventListener("keydown", function (e) {
      if (e.key !== "Tab" || e.shiftKey || open()) return;
      const active = document.activeElement;
      if (active && active !== document.body && !body.contains(active)) return;
      if (!claimdb.selectionOffsets(body)) return;
      e.preventDefault();
      e.stopPropagation();
      show();
    }, true);
    body.addEventListener("mousedown", function () { close(false); });
    document.addEventListener("mousedown", function (e) {
      if (open() && !card.contains(e.target) && !body.contains(e.target)) close(false);
    });
    card.addEventListener("keydown", function (e) {
      const t = e.target;
      const typing = t && /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName);
      if (e.key === "Escape") {
        const list = card.querySelector(".lookup-list:not([hidden])");
        if (list) return; // the look-up closes its list first
        e.preventDefault();
        e.stopPropagation();
        close(true);
      } else if (e.key === "n" && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
        e.preventDefault();
        e.stopPropagation();
        window.location.assign(editHref());
      }
    });
    edit.addEventListener("click", function (e) {
      e.preventDefault();
      window.location.assign(editHref());
    });
    card.querySelector(".selection-card-close").addEventListener("click", function () { close(true); });
    let sent = false; // one statement per Record, however often Enter is pressed
    form.addEventListener("submit", function (e) {
      if (sent) e.preventDefault();
      sent = true;
      window.setTimeout(function () { sent = false; }, 3000);
    });
  }

  /* ---------------------------------------------------------------- speaker legend */
  function enhanceLegend(body) {
    document.querySelectorAll(".legend-item[data-speaker-id]").forEach(function (button) {
      button.addEventListener("click", function () {
        const on = button.getAttribute("aria-pressed") !== "true";
        button.setAttribute("aria-pressed", String(on));
        const id = button.getAttribute("data-speaker-id");
        body.querySelectorAll('[data-speaker-id="' + id + '"]').forEach(function (el) {
          el.classList.toggle("is-dimmed", !on);
        });
        document.querySelectorAll('.card[data-speaker-id="' + id + '"]').forEach(function (el) {
          el.classList.toggle("is-filtered", !on);
        });
      });
    });
  }

  /* ---------------------------------------------------------------- `n`: new statement from the selection */
  function enhanceShortcut(body) {
    if (!body.dataset.newStatementUrl || !claimdb.selectionOffsets) return;
    document.addEventListener("keydown", function (e) {
      if (e.key !== "n" || e.ctrlKey || e.metaKey || e.altKey) return;
      const t = e.target;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      const sel = claimdb.selectionOffsets(body);
      if (!sel) return;
      e.preventDefault();
      window.location.assign(claimdb.newStatementHref(body.dataset.newStatementUrl, sel));
    });
  }

  /* ---------------------------------------------------------------- statement form: speaker picks */
  /* The buttons post the form back with the speaker set when there is no script; here they set it in place. */
  function enhanceSpeakerPicks() {
    document.querySelectorAll(".speaker-pick[data-actor-id]").forEach(function (button) {
      button.setAttribute("aria-pressed", "false");
      button.addEventListener("click", function (e) {
        const real = document.getElementById("speaker_id");
        if (!real) return;
        e.preventDefault();
        const name = button.getAttribute("data-actor-name");
        real.value = button.getAttribute("data-actor-id");
        const search = document.getElementById("speaker_id-search");
        if (search) search.value = name;
        const field = real.closest(".lookup");
        const shown = field && field.querySelector(".lookup-label");
        if (shown) shown.textContent = name;
        document.querySelectorAll(".speaker-pick").forEach(function (b) {
          b.setAttribute("aria-pressed", String(b === button));
        });
        real.dispatchEvent(new Event("change", { bubbles: true }));
      });
    });
  }

  /* ---------------------------------------------------------------- accusation form: category from the act */
  function enhanceCategory() {
    const box = document.getElementById("category-suggest");
    const act = document.getElementById("act");
    const category = document.getElementById("category");
    if (!box || !act || !category) return;
    const field = category.closest(".field") || category;
    field.insertAdjacentElement("beforeend", box);
    const items = box.querySelector(".category-suggest-items");
    let timer = 0;
    let seq = 0;
    function refresh() {
      const text = act.value.trim();
      const mine = ++seq;
      if (!text) { box.hidden = true; return; }
      const url = new URL(box.dataset.url, window.location.href);
      url.searchParams.set("act", text);
      fetch(url.toString(), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (rows) {
          if (mine !== seq) return;
          items.textContent = "";
          rows.forEach(function (row) {
            const b = document.createElement("button");
            b.type = "button";
            b.className = "button button-secondary button-small";
            b.textContent = row.label;
            b.addEventListener("click", function () {
              category.value = row.label;
              category.dispatchEvent(new Event("input", { bubbles: true }));
            });
            items.appendChild(b);
          });
          box.hidden = rows.length === 0;
        })
        .catch(function () { box.hidden = true; });
    }
    act.addEventListener("input", function () { window.clearTimeout(timer); timer = window.setTimeout(refresh, 200); });
    refresh();
  }

  function init() {
    const body = document.getElementById("source-body");
    if (body) {
      enhanceMargin(body);
      enhanceLegend(body);
      enhanceShortcut(body);
      enhanceCard(body);
      if (document.getElementById("selection-card")) enhanceCaret(body);
    }
    enhanceSpeakerPicks();
    enhanceCategory();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
