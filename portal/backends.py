from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class RoleBackend(ModelBackend):
    """Model permissions, plus: the portal's admins hold every permission.

    Roles are groups (see portal.models.Role). Admins manage cycles, milestones,
    extensions and users, so they may do all the Django admin offers without a
    permission list to keep in step with every new model.
    """

    def get_user(self, user_id):
        """The signed-in user of every request, with their authority and member state in the same query."""
        user = (get_user_model()._default_manager.select_related("authority__member_state")
                .filter(pk=user_id).first())
        return user if user is not None and self.user_can_authenticate(user) else None

    def has_perm(self, user_obj, perm, obj=None):
        if user_obj.is_active and getattr(user_obj, "is_portal_admin", False):
            return True
        return super().has_perm(user_obj, perm, obj)

    def has_module_perms(self, user_obj, app_label):
        if user_obj.is_active and getattr(user_obj, "is_portal_admin", False):
            return True
        return super().has_module_perms(user_obj, app_label)
