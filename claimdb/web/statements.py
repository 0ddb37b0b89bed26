"""Statement pages: the list, the page with its attribution chain in context, and quick entry forms.

Fast entry: a statement made from a selection in a source goes back to that source, scrolled to the
new highlight (/sources/ID#statement-N), so the analyst selects the next passage at once; the
statement's own page (claims, accusations) is one click away from there.
"""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from claimdb import auth
from claimdb.rules import parse_id
from claimdb.services.pages import form_context, source_pages
from claimdb.services.records import linking
from claimdb.services.records.sources import STATEMENTS
from claimdb.services.statement_views import claim_links
from claimdb.web import bp, creating, editing
from claimdb.web.forms_sources import LinkClaimForm, StatementEditForm, StatementForm
from claimdb.web.listing import list_view
from claimdb.wording import short

PREFILL = ("source_id", "speaker_id", "reported_by_id", "text", "quote_type", "cue", "hedge", "stated",
           "span_start", "span_end", "credibility")


@bp.get("/statements")
@auth.require("viewer")
def statements_list() -> ResponseReturnValue:
    """Statements with their chains; ?speaker= takes any name or alias, like the search."""
    return list_view("statements", "statements/index.html",
                     source=form_context.source_brief(editing.session(), _int_arg("source_id")))


@bp.get(f"/statements/{editing.ID}")
@auth.require("viewer")
def statements_detail(record_id: int) -> ResponseReturnValue:
    page = source_pages.statement_page(editing.session(), record_id)
    link_form = LinkClaimForm(formdata=None)
    return render_template("statements/show.html", page=page, st=page.statement, link_form=link_form)


def _prefill() -> dict[str, Any]:
    """A selection (?source_id&span_start&span_end&text) or a reporting statement (?reported_by_id, which
    fixes the source and suggests its date). A selection also gets the guesses of its surroundings
    (form_context.selection_guess): speaker, cue, hedge, quote type, date, reporter; what the query
    gives explicitly wins, and every guess stays editable."""
    data: dict[str, Any] = {k: request.args[k] for k in PREFILL if k in request.args}
    parent = form_context.statement_brief(editing.session(), _int_arg("reported_by_id"))
    if parent is not None:
        data["source_id"] = str(parent.source_id)
        if parent.stated_date and "stated" not in data:
            data["stated"] = parent.stated_date.human()
    source = form_context.source_brief(editing.session(), _int_value(data.get("source_id")))
    start, end = _int_arg("span_start"), _int_arg("span_end")
    g.guess = form_context.Guess()
    if source is not None and start is not None and end is not None:
        guess = form_context.selection_guess(editing.session(), source, start, end)
        if parent is not None:  # the analyst chose the reporter; its speaker is not this one's
            guess.values.pop("reported_by_id", None)
        for name, value in guess.values.items():
            data.setdefault(name, value)
        g.guess = guess
        if "text" not in data:
            data["text"] = (source.body or "")[start:end]
    elif source is not None and source.published_date is not None:
        data.setdefault("stated", source.published_date.human())
    return data


def _prepare(form: StatementForm) -> None:
    if "quote_type" not in request.args and _inside_quotes(form):
        form.quote_type.data = "direct"


def _pick_speaker() -> ResponseReturnValue | None:
    """A "speaker in this source" button pressed without a script: the same form again, everything typed
    kept, the speaker set (nothing is validated or stored)."""
    picked = request.form.get("pick_speaker", "")
    if request.method != "POST" or not picked:
        return None
    form = StatementForm()
    form.speaker_id.data = picked
    return creating.create_form_page("statements/form.html", form, STATEMENTS, _statement_context(form, False))


def _statement_context(form: StatementForm, is_get: bool) -> dict[str, Any]:
    """The source and reporting statement named on the form; on a fresh form, the likely reporters and speakers."""
    source_id, parent_id = _int_value(form.source_id.data), _int_value(form.reported_by_id.data)
    fresh_parent = is_get and _int_arg("reported_by_id") is not None and \
        form_context.statement_brief(editing.session(), _int_arg("reported_by_id")) is not None
    return {"reporters": _reporters(form) if is_get and not fresh_parent else [],
            "speakers": _speaker_picks(form), "guess": g.get("guess") or form_context.Guess(),
            **_form_context(source_id, parent_id)}


@bp.route("/statements/new", methods=["GET", "POST"])
@auth.require("analyst")
def statements_new() -> ResponseReturnValue:
    """GET: a form prefilled from a selection or a reporting statement. POST: create, then go where `then` says."""
    picked = _pick_speaker()
    if picked is not None:
        return picked
    flow = editing.CreateFlow(prefill=_prefill, prepare=_prepare, saved=_after_create, context=_statement_context)
    return editing.create_form(STATEMENTS, StatementForm, "statements/form.html", flow)


def _after_create(form: StatementForm, created: dict[str, Any]) -> ResponseReturnValue:
    then = request.form.get("then")
    sid = created["id"]
    if then == "source":
        said = short(created["text"], 80)
        said = f"“{said}”" if created["quote_type"] == "direct" else said  # only a direct quote is quoted
        flash(f"Statement #{sid} saved: {said}. Select the next passage, or open the statement to link its "
              "claims.", "success")
        return redirect(url_for("web.sources_detail", record_id=created["source_id"], _anchor=f"statement-{sid}"))
    if then == "another":
        flash(f"Statement #{sid} saved. Record another one reported through the same statement.", "success")
        parent = created["reported_by_id"]
        return redirect(url_for("web.statements_new", reported_by_id=parent) if parent
                        else url_for("web.statements_new", source_id=created["source_id"]))
    flash(f"Statement #{sid} saved.", "success")
    return redirect(url_for("web.statements_detail", record_id=sid))


@bp.route(f"/statements/{editing.ID}/edit", methods=["GET", "POST"])
@auth.require("analyst")
def statements_edit(record_id: int) -> ResponseReturnValue:
    st = form_context.statement_brief(editing.session(), record_id)
    context = _form_context(st.source_id if st else None, st.reported_by_id if st else None)
    context["claim_labels"] = {str(c["claim_id"]): c["text"]
                               for c in claim_links(editing.session(), [record_id]).get(record_id, [])}
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
    page = source_pages.statement_page(editing.session(), record_id)

    def link(form: LinkClaimForm, claim_id: int | None) -> tuple[int, bool]:
        return linking.link_claim(editing.session(), record_id, claim_id=claim_id,
                                  new_claim=(form.new_claim.data or "").strip() or None,
                                  stance=form.stance.data, certainty=form.certainty.data)

    def linked(form: LinkClaimForm, result: tuple[int, bool]) -> ResponseReturnValue:
        claim_id, replaced = result
        flash(f"Claim #{claim_id} {'updated' if replaced else 'linked'}: this statement {form.stance.data} it.",
              "success")
        return redirect(url_for("web.statements_detail", record_id=record_id, _anchor="claims"))

    flow = editing.CreateFlow(
        prefill=lambda: {k: request.args[k] for k in ("claim_id", "stance", "certainty") if k in request.args},
        convert=lambda form: form.claim_id.payload(editing.session()), create=link, saved=linked,
        context=lambda form, _get: {"page": page, "st": page.statement, "link_form": form})
    return editing.create_form(STATEMENTS, LinkClaimForm, "statements/link_claim.html", flow)


@bp.post(f"/statements/{editing.ID}/claims/<int(max=2147483647):claim_id>/delete")
@auth.require("analyst")
def statements_unlink_claim(record_id: int, claim_id: int) -> ResponseReturnValue:
    """Remove one claim link (the claim itself stays)."""
    if linking.unlink_claim(editing.session(), record_id, claim_id):
        flash(f"Claim #{claim_id} is no longer linked to this statement.", "success")
    else:
        flash(f"Claim #{claim_id} was not linked to this statement.", "warning")
    return redirect(url_for("web.statements_detail", record_id=record_id, _anchor="claims"))


def _speaker_picks(form: StatementForm) -> list[Any]:
    """Every speaker of the source, most recent first: buttons that set the speaker field (a script does it
    in place; without one they post the form back with the speaker set, so nothing typed is lost)."""
    source_id = _int_value(form.source_id.data)
    if source_id is None:
        return []
    return form_context.recent_speakers(editing.session(), source_id)


QUOTES = "\"“”«»„‘’'"


def _inside_quotes(form: StatementForm) -> bool:
    """A selection that sits between quotation marks is most likely a direct quote."""
    source = form_context.source_brief(editing.session(), _int_value(form.source_id.data))
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
    return form_context.enclosing_statements(editing.session(), source_id, start, end)


def _form_context(source_id: int | None, parent_id: int | None) -> dict[str, Any]:
    """The source (title, body length) and the reporting statement, named on the form."""
    return {"source": form_context.source_brief(editing.session(), source_id),
            "parent": form_context.statement_brief(editing.session(), parent_id)}


def _int_value(value: Any) -> int | None:
    return parse_id(str(value or ""))


def _int_arg(name: str) -> int | None:
    return _int_value(request.args.get(name))
