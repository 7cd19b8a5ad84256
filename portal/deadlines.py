"""Effective deadlines: a milestone's due time, or a member state's extension, in bulk."""

from portal.models import Extension


def effective_deadlines(milestones):
    """{(milestone id, member state id): Extension} for the given milestones, in one query."""
    return {
        (e.milestone_id, e.member_state_id): e
        for e in Extension.objects.filter(milestone__in=[m.pk for m in milestones])
    }


def due_for(milestone, member_state, extensions):
    extension = extensions.get((milestone.pk, member_state.pk))
    return (extension.due_at if extension else milestone.due_at), extension
