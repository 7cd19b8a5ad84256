from django.contrib.auth.backends import ModelBackend


class RoleBackend(ModelBackend):
    """Model permissions, plus: the portal's admins hold every permission.

    Roles are groups (see portal.models.Role). Admins manage cycles, milestones,
    extensions and users, so they may do all the Django admin offers without a
    permission list to keep in step with every new model.
    """

    def has_perm(self, user_obj, perm, obj=None):
        if user_obj.is_active and getattr(user_obj, "is_portal_admin", False):
            return True
        return super().has_perm(user_obj, perm, obj)

    def has_module_perms(self, user_obj, app_label):
        if user_obj.is_active and getattr(user_obj, "is_portal_admin", False):
            return True
        return super().has_module_perms(user_obj, app_label)
