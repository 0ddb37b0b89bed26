"""Spreadsheet upload: preview what a CSV would create, then import it in one go. Analysts and admins."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField

from claimdb import auth
from claimdb.services.exchange import spreadsheet
from claimdb.web import bp
from claimdb.web.editing import session


class SheetForm(FlaskForm):
    file = FileField("Spreadsheet (CSV, UTF-8)")
    # After a preview the file's text travels back with the confirmation, so nothing is kept on the server.
    content = HiddenField()
    action = HiddenField(default="preview")


@bp.get("/import")
@auth.require("analyst")
def import_sheet_form() -> ResponseReturnValue:
    return render_template("imports/upload.html", form=SheetForm(formdata=None), columns=spreadsheet.COLUMNS)


@bp.post("/import")
@auth.require("analyst")
def import_sheet() -> ResponseReturnValue:
    form = SheetForm()
    if not form.validate():
        return render_template("imports/upload.html", form=form, columns=spreadsheet.COLUMNS), 400
    text = form.content.data or ""
    if form.file.data:
        raw = form.file.data.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            form.file.errors = ["The file is not UTF-8 text: save the spreadsheet as “CSV UTF-8”."]
            return render_template("imports/upload.html", form=form, columns=spreadsheet.COLUMNS), 422
    if not text.strip():
        form.file.errors = ["Choose a CSV file."]
        return render_template("imports/upload.html", form=form, columns=spreadsheet.COLUMNS), 422
    commit = form.action.data == "import"
    try:
        report = spreadsheet.import_sheet(session(), text, commit=commit)
    except spreadsheet.SheetRefused as e:
        return render_template("imports/upload.html", form=form, columns=spreadsheet.COLUMNS,
                               problems=e.report.problems), 422
    if commit:
        flash(report.summary(), "success")
        return redirect(url_for("web.statements_list"))
    form.content.data = text
    form.action.data = "import"
    return render_template("imports/upload.html", form=form, columns=spreadsheet.COLUMNS, report=report)
