"""WTForms for the analyst's pages. Field names are the API's field names (DESIGN.md), so one
conversion (editing.form_payload) serves every form; the services check every rule again.

SourceForm and StatementForm live in forms_sources.py.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from claimdb.models.values import (
    ActorKind,
    AffiliationRole,
    ClaimStatus,
    ContradictionKind,
    ContradictionStatus,
    Reliability,
    Role,
)
from claimdb.web.fields import (
    ActorField,
    AliasesField,
    ClaimField,
    OptionalSelectField,
    PartialDateField,
    StartedField,
    StatementLookupField,
    TagsField,
    VersionField,
    choices,
)

DATE_HELP = "As the source gives it: “2015”, “March 2015” or “2015-03-01”."
REQUIRED = "Required."


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[InputRequired(REQUIRED), Length(max=100)])
    password = PasswordField("Password", validators=[InputRequired(REQUIRED), Length(max=1000)])


class ActorForm(FlaskForm):
    version = VersionField()
    started = StartedField()
    name = StringField("Name", validators=[DataRequired(REQUIRED)],
                       description="The name analysts know it by; other spellings go under aliases.")
    kind = SelectField("Kind", choices=choices(ActorKind), default="unknown")
    aliases = AliasesField(
        "Aliases", render_kw={"rows": 4},
        description="One per line: spellings, transliterations, other scripts, misspellings seen in sources. "
                    "Add a language code in brackets if useful: “جبهة النصرة [ar]”.")
    description = TextAreaField("Description", render_kw={"rows": 3})
    reliability = OptionalSelectField(
        "Usual reliability", choices=choices(Reliability, blank="— not graded"),
        description="For outlets and speakers: the usual grade of what they publish (Admiralty code).")


class AffiliationForm(FlaskForm):
    version = VersionField()
    started = StartedField()
    member_id = ActorField("Member", validators=[DataRequired(REQUIRED)],
                           description="The person or group that belongs, leads, speaks for or merged.")
    role = SelectField("Role", choices=choices(AffiliationRole), default="member")
    organization_id = ActorField("Organization", validators=[DataRequired(REQUIRED)])
    start = PartialDateField("From", description=DATE_HELP + " Empty: since always.")
    end = PartialDateField("Until", description=DATE_HELP + " Empty: still holds.")
    statement_id = StatementLookupField("Attested by statement",
                                        description="The statement that says so (optional): its number or words of it.")
    note = TextAreaField("Note", render_kw={"rows": 3})


class ClaimForm(FlaskForm):
    version = VersionField()
    started = StartedField()
    text = TextAreaField("Claim", validators=[DataRequired(REQUIRED)], render_kw={"rows": 3},
                         description="A normalised proposition, independent of who says it: "
                                     "“Hazzm kidnapped four Nusra members”.")
    occurred = PartialDateField("Occurred", description=DATE_HELP)
    location = StringField("Location")
    status = SelectField("Status", choices=choices(ClaimStatus), default="unverified")
    tags = TagsField("Tags", description="Separated by commas: “kidnapping, Aleppo”.")


class AccusationForm(FlaskForm):
    version = VersionField()
    started = StartedField()
    statement_id = StatementLookupField("In statement", validators=[DataRequired(REQUIRED)],
                                     description="The statement that makes the accusation: its number or words of it.")
    accuser_id = ActorField("Accuser", description="Leave empty for the statement's speaker.")
    accused_id = ActorField("Accused", validators=[DataRequired(REQUIRED)])
    act = StringField("Act", validators=[DataRequired(REQUIRED)],
                      description="What the accused is said to have done, in the source's words.")
    category = StringField("Category", render_kw={"list": "accusation-categories"},
                           description="A short category such as kidnapping, escalation, shelling.")
    claim_id = ClaimField("Claim", description="The claim the accusation bears on (optional).")


class ContradictionForm(FlaskForm):
    version = VersionField()
    started = StartedField()
    claim_a_id = ClaimField("Claim A", validators=[DataRequired(REQUIRED)])
    claim_b_id = ClaimField("Claim B", validators=[DataRequired(REQUIRED)],
                            description="A claim that cannot be true if claim A is.")
    kind = SelectField("Kind", choices=choices(ContradictionKind), default="incompatible")
    status = SelectField("Status", choices=choices(ContradictionStatus), default="open")
    note = TextAreaField("Note", render_kw={"rows": 3})


# ---------------------------------------------------------------- administration


class UserCreateForm(FlaskForm):
    username = StringField("Username", validators=[InputRequired(REQUIRED), Length(max=100)])
    role = SelectField("Role", choices=choices(Role), default="viewer")
    password = PasswordField("Password", validators=[InputRequired(REQUIRED), Length(min=8, max=1000)],
                             description="At least 8 characters. Tell the user to change it.")


class UserRoleForm(FlaskForm):
    role = SelectField("Role", choices=choices(Role))


class PasswordResetForm(FlaskForm):
    password = PasswordField("New password", validators=[InputRequired(REQUIRED), Length(min=8, max=1000)])


class TokenCreateForm(FlaskForm):
    label = StringField("Label", validators=[Optional(), Length(max=200)],
                        description="What the token is for, e.g. “ingest script on the newsroom server”.")


class EmptyForm(FlaskForm):
    """Only the CSRF token: for buttons that POST (deactivate, revoke)."""
