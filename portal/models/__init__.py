"""Core of the portal: member states, authorities, users and roles, access requests, cycles and milestones."""

from portal.deadlines import BRUSSELS, Deadline
from portal.models.access_requests import REQUESTABLE_ROLES, AccessRequest, AccessRequestStatus
from portal.models.cycles import CycleCoverage, CycleStatus, EditLock, Reopening, ReportingCycle
from portal.models.editions import ReferenceTextsEdition
from portal.models.member_states import Authority, AuthorityKind, MemberState
from portal.models.milestones import Extension, Milestone, MilestoneScope, deadline_of, deadlines_in_force
from portal.models.notifications import Delivery, Notification, NotificationKind, NotificationStatus
from portal.models.sign_ins import EpisodeKind, SignInEpisode, UsualAddress
from portal.models.tokens import ApiToken, TokenScope
from portal.models.users import Role, User, new_calendar_token

__all__ = [
    "AccessRequest", "AccessRequestStatus", "REQUESTABLE_ROLES",
    "ApiToken", "TokenScope",
    "BRUSSELS", "Authority", "AuthorityKind", "CycleCoverage", "CycleStatus", "Deadline", "Delivery", "EditLock",
    "EpisodeKind",
    "Extension", "MemberState", "Milestone", "MilestoneScope", "Notification", "NotificationKind",
    "NotificationStatus", "Reopening", "ReportingCycle",
    "ReferenceTextsEdition", "Role", "SignInEpisode", "User", "UsualAddress",
    "deadline_of", "deadlines_in_force", "new_calendar_token",
]
