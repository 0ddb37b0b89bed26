"""Statement pages: the list, the page with its attribution chain in context, and quick entry forms.

Fast entry: a statement made from a selection in a source goes back to that source, scrolled to the
new highlight (/sources/ID#statement-N), so the analyst selects the next passage at once; the
statement's own page (claims, accusations) is one click away from there.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import current_app, flash, redirect, render_template, request
from flask.typing import ResponseReturnValue

from claimdb import auth
from claimdb.errors import Invalid
from claimdb.models.values import QuoteType
from claimdb.services.pages import lists, reading
from claimdb.services.paging import Page
from claimdb.services.records import lifecycle, linking
from claimdb.services.records.common import short
from claimdb.services.records.sources import STATEMENTS
from claimdb.web import bp, editing
from claimdb.web.forms_sources import LinkClaimForm, StatementEditForm, StatementForm

PREFILL = ("source_id", "speaker_id", "reported_by_id", "text", "quote_type", "cue", "hedge", "stated",
           "span_start", "span_end", "credibility")


@bp.get("/statements")
@auth.require("viewer")
def statements_index() -> ResponseReturnValue:
    """Statements with their chains; ?speaker= takes any name or alias, like the search."""
    errors: dict[str, str] = {}
    listing = None
    try:
        page = Page.from_args(request.args, current_app.config, default_size=25)
        listing = lists.list_statements(editing.session(), request.args, page)
    except Invalid as e:
        errors = e.errors
    source = reading.source_brief(editing.session(), _int_arg("source_id"))
    return render_template("statements/index.html", listing=listing, errors=errors, args=request.args,
                           quote_types=QuoteType, source=source), (422 if errors else 200)


@bp.get(f"/statements/{editing.ID}")
@auth.require("viewer")
def statements_show(record_id: int) -> ResponseReturnValue:
    page = reading.statement_page(editing.session(), record_id)
    link_form = LinkClaimForm(formdata=None)
    return render_template("statements/show.html", page=page, st=page.statement, link_form=link_form)


@bp.route("/statements/new", methods=["GET", "POST"])
@auth.require("analyst")
def statements_new() -> ResponseReturnValue:
    """GET: a form prefilled from a selection (?source_id&span_start&span_end&text) or a reporting
    statement (?reported_by_id, which fixes the source). POST: create, then go where `then` says."""
    if request.method == "GET":
        data: dict[str, Any] = {k: request.args[k] for k in PREFILL if k in request.args}
        parent = reading.statement_brief(editing.session(), _int_arg("reported_by_id"))
        if parent is not None:
            data["source_id"] = str(parent.source_id)
            data.setdefault("stated", parent.stated_date.isoformat() if parent.stated_date else "")
        form = StatementForm(formdata=None, data=data)
        if "quote_type" not in request.args and _inside_quotes(form):
            form.quote_type.data = "direct"
        return _form_page(form, None, reporters=_reporters(form) if parent is None else [],
                          speakers=_speaker_picks(form))
    form = StatementForm()
    ok = form.validate()
    payload = None
    try:
        payload = editing.form_payload(form, STATEMENTS)
    except Invalid as e:
        editing.apply_errors(form, e.errors)
    if ok and payload is not None:
        try:
            created = lifecycle.create(editing.session(), STATEMENTS, payload)
        except Invalid as e:
            editing.apply_errors(form, e.errors)
        else:
            return _after_create(created)
    return _form_page(form, None, status=422)


def _after_create(created: dict[str, Any]) -> ResponseReturnValue:
    then = request.form.get("then")
    sid = created["id"]
    if then == "source":
        flash(f"Statement #{sid} saved: “{short(created['text'], 80)}”. Select the next passage, "
              "or open the statement to link its claims.", "success")
        return redirect(f"/sources/{created['source_id']}#statement-{sid}")
    if then == "another":
        flash(f"Statement #{sid} saved. Record another one reported through the same statement.", "success")
        parent = created["reported_by_id"]
        return redirect(f"/statements/new?reported_by_id={parent}" if parent
                        else f"/statements/new?source_id={created['source_id']}")
    flash(f"Statement #{sid} saved.", "success")
    return redirect(f"/statements/{sid}")


@bp.route(f"/statements/{editing.ID}/edit", methods=["GET", "POST"])
@auth.require("analyst")
def statements_edit(record_id: int) -> ResponseReturnValue:
    st = reading.statement_brief(editing.session(), record_id)
    context = _form_context(st.source_id if st else None, st.reported_by_id if st else None)
    context["claim_labels"] = {str(c["claim_id"]): c["text"]
                               for c in reading.claim_links(editing.session(), [record_id]).get(record_id, [])}
    return editing.edit_record(STATEMENTS, record_id, StatementEditForm, "statements/form.html", **context)


@bp.post(f"/statements/{editing.ID}/delete")
@auth.require("admin")
def statements_delete(record_id: int) -> ResponseReturnValue:
    return editing.delete_record(STATEMENTS, record_id)


@bp.get(f"/statements/{editing.ID}/history")
@auth.require("viewer")
def statements_history(record_id: int) -> ResponseReturnValue:
    return editing.record_history(STATEMENTS, record_id)


@bp.route(f"/statements/{editing.ID}/claims/new", methods=["GET", "POST"])
@auth.require("analyst")
def statements_link_claim(record_id: int) -> ResponseReturnValue:
    """Link an existing claim, or a new one typed in full, with a stance and a certainty."""
    page = reading.statement_page(editing.session(), record_id)
    if request.method == "GET":
        form = LinkClaimForm(formdata=None, data={k: request.args[k] for k in ("claim_id", "stance", "certainty")
                                                  if k in request.args})
        return _link_page(page, form)
    form = LinkClaimForm()
    ok = form.validate()
    claim_id = None
    try:
        claim_id = form.claim_id.payload(editing.session())
    except Invalid as e:
        editing.apply_errors(form, e.errors)
        ok = False
    if ok:
        try:
            linked, replaced = linking.link_claim(
                editing.session(), record_id, claim_id=claim_id, new_claim=(form.new_claim.data or "").strip() or None,
                stance=form.stance.data, certainty=form.certainty.data)
        except Invalid as e:
            editing.apply_errors(form, e.errors)
        else:
            flash(f"Claim #{linked} {'updated' if replaced else 'linked'}: this statement {form.stance.data} it.",
                  "success")
            return redirect(f"/statements/{record_id}#claims")
    return _link_page(page, form, status=422)


@bp.post(f"/statements/{editing.ID}/claims/<int(max=2147483647):claim_id>/delete")
@auth.require("analyst")
def statements_unlink_claim(record_id: int, claim_id: int) -> ResponseReturnValue:
    """Remove one claim link (the claim itself stays)."""
    if linking.unlink_claim(editing.session(), record_id, claim_id):
        flash(f"Claim #{claim_id} is no longer linked to this statement.", "success")
    else:
        flash(f"Claim #{claim_id} was not linked to this statement.", "warning")
    return redirect(f"/statements/{record_id}#claims")


def _link_page(page: reading.StatementPage, form: LinkClaimForm, status: int = 200) -> ResponseReturnValue:
    return render_template("statements/link_claim.html", page=page, st=page.statement, link_form=form,
                           labels=editing.lookup_labels(form)), status


def _form_page(form: StatementForm, record: dict[str, Any] | None, status: int = 200,
               reporters: list[Any] | None = None, speakers: list[Any] | None = None) -> ResponseReturnValue:
    source_id = _int_value(form.source_id.data)
    parent_id = _int_value(form.reported_by_id.data)
    return render_template("statements/form.html", form=form, resource=STATEMENTS, record=record,
                           labels=editing.lookup_labels(form), conflict=None, reporters=reporters or [],
                           speakers=speakers or [], **_form_context(source_id, parent_id)), status


def _speaker_picks(form: StatementForm) -> list[tuple[Any, str]]:
    """The source's recent speakers, each with this form's address preset to them (no script needed)."""
    source_id = _int_value(form.source_id.data)
    if source_id is None:
        return []
    args = request.args.to_dict()
    picks = []
    for actor in reading.recent_speakers(editing.session(), source_id):
        picks.append((actor, "/statements/new?" + urlencode({**args, "speaker_id": str(actor.id)})))
    return picks


QUOTES = "\"“”«»„‘’'"


def _inside_quotes(form: StatementForm) -> bool:
    """A selection that sits between quotation marks is most likely a direct quote."""
    source = reading.source_brief(editing.session(), _int_value(form.source_id.data))
    start, end = _int_value(form.span_start.data), _int_value(form.span_end.data)
    if source is None or start is None or end is None or not 0 < start < end < len(source.body or ""):
        return False
    body = source.body
    closed = any(c in QUOTES for c in body[end:end + 2])  # "…the fighting," he said
    return body[start - 1] in QUOTES and closed and form.text.data == body[start:end]


def _reporters(form: StatementForm) -> list[Any]:
    """Statements whose span holds the selection: the analyst may mean to nest the new one in them."""
    source_id, start, end = (_int_value(form.source_id.data), _int_value(form.span_start.data),
                             _int_value(form.span_end.data))
    if source_id is None or start is None or end is None:
        return []
    return reading.enclosing_statements(editing.session(), source_id, start, end)


def _form_context(source_id: int | None, parent_id: int | None) -> dict[str, Any]:
    """The source (title, body length) and the reporting statement, named on the form."""
    return {"source": reading.source_brief(editing.session(), source_id),
            "parent": reading.statement_brief(editing.session(), parent_id)}


def _int_value(value: Any) -> int | None:
    text = str(value or "").strip().lstrip("#")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


def _int_arg(name: str) -> int | None:
    return _int_value(request.args.get(name))
