"""The one list view: parse ?filters, call `lists.list_page`, render the noun's page (built on _list.html)."""

from __future__ import annotations

from typing import Any

from flask import current_app, render_template, request
from flask.typing import ResponseReturnValue

from claimdb.errors import Invalid
from claimdb.services.pages import lists
from claimdb.services.paging import Page
from claimdb.web.formdata import session


def list_view(plural: str, template: str, **context: Any) -> ResponseReturnValue:
    """A page of the list, or (422) no rows and the filter errors above the kept filter form."""
    listing, errors = None, {}
    try:
        page = Page.from_args(request.args, current_app.config, default_size=lists.SPECS[plural].default_size)
        listing = lists.list_page(session(), plural, request.args, page)
    except Invalid as e:
        errors = dict(e.errors or {"filters": e.detail})
    return render_template(template, listing=listing, errors=errors, args=request.args, plural=plural,
                           **context), (422 if errors else 200)
