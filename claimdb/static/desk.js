/* claimdb: the analyst's desk (source page and statement form). Plain ES2017, loaded with `defer` after
   claimdb.js; every page works without it.
   Source page: a highlight's margin note appears beside it on hover and keyboard focus; the speaker
   legend shows or hides a speaker's highlights; `n` (or the first Tab stop) records the selection.
   Statement form: "speakers in this source" set the speaker field in place (the links reload otherwise). */
(function () {
  "use strict";

  const claimdb = (window.claimdb = window.claimdb || {});

  /* ---------------------------------------------------------------- margin notes */
  function enhanceMargin(body) {
    const layout = body.closest(".annotated");
    const margin = layout && layout.querySelector(".annotation-margin");
    if (!margin) return;
    let active = null;
    let activeSpans = [];

    function wide() { return window.matchMedia("(min-width: 64rem)").matches; }

    function show(id, anchor) {
      const card = document.getElementById("card-" + id);
      if (!card || card === active) return;
      hide();
      active = card;
      card.classList.add("is-active");
      margin.classList.add("has-active");
      activeSpans = Array.prototype.slice.call(body.querySelectorAll('[data-statement-id="' + id + '"]'));
      activeSpans.forEach(function (el) { el.classList.add("is-active"); });
      if (wide()) {
        const top = anchor.getBoundingClientRect().top - margin.getBoundingClientRect().top;
        const room = margin.offsetHeight - card.offsetHeight;
        card.style.top = Math.max(0, Math.min(top, room > 0 ? room : top)) + "px";
      } else {
        card.style.top = "";
      }
    }
    function hide() {
      if (!active) return;
      active.classList.remove("is-active");
      margin.classList.remove("has-active");
      activeSpans.forEach(function (el) { el.classList.remove("is-active"); });
      active = null;
      activeSpans = [];
    }
    function spanOf(target) {
      return target && target.closest ? target.closest(".source-body [data-statement-id]") : null;
    }
    body.addEventListener("mouseover", function (e) {
      const el = spanOf(e.target);
      if (el) show(el.getAttribute("data-statement-id"), el);
    });
    body.addEventListener("focusin", function (e) {
      const el = spanOf(e.target);
      if (el) show(el.getAttribute("data-statement-id"), el);
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
    }
    enhanceSpeakerPicks();
    enhanceCategory();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
