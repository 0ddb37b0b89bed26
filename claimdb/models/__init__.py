"""The domain model: one module per aggregate. Importing this package registers every table."""

from claimdb.models.accusations import Accusation
from claimdb.models.actors import Actor, ActorAlias, Affiliation
from claimdb.models.audit import AuditEntry
from claimdb.models.claims import Claim, ClaimTag, Contradiction
from claimdb.models.report_tables import ReportAccusationEdge, ReportClaim, ReportContradiction, ReportMutualPair
from claimdb.models.sources import Source, Statement, StatementClaim
from claimdb.models.suggestions import DismissedSuggestion, SuggestionModel
from claimdb.models.users import ApiToken, LoginFailure, User, UserSession

__all__ = [
    "Accusation", "Actor", "ActorAlias", "Affiliation", "ApiToken", "AuditEntry", "Claim", "ClaimTag",
    "Contradiction", "DismissedSuggestion", "LoginFailure", "ReportAccusationEdge", "ReportClaim",
    "ReportContradiction", "ReportMutualPair", "Source", "Statement", "StatementClaim", "SuggestionModel",
    "User", "UserSession",
]
