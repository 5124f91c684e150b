from contextlib import contextmanager

from odoo import fields, models
from odoo.exceptions import AccessError, UserError

# Keys of cursor-local sets (``cr.cache``: emptied when the cursor is closed, at the end
# of each request or cron job; Odoo does not empty it at a commit) of the
# "model,id" of done records that may still be written: those that became done in the
# current request (Odoo finishes them in the same transaction: the picking's
# date_done copied onto its moves, an inventory adjustment's accounting date, ...), and
# those an Inventory Administrator is correcting through `action_isp_edit_done`. Server
# state, never the RPC context.
DONE_NOW_KEY = "isp_inventory.done_now"
DONE_EDIT_KEY = "isp_inventory.done_edit"


class IspDoneLockMixin(models.AbstractModel):
    """Done is done: the business fields of a done record (a validated stock move, an
    applied count, a posted loss report, a completed job) cannot be written, and the
    record cannot be deleted, except by an Inventory Administrator through
    `action_isp_edit_done` / `action_isp_remove_done`, which post who, when and why on
    the record's chatter and then write with the administrator's own rights (access
    rules and the other guards still apply). A plain `write`/`unlink` is refused even
    for the administrator; the superuser environment (server-side operations) passes.

    A model using it defines `_isp_is_done`; the mixin's `write` and `unlink` check."""

    _name = "isp.done.lock.mixin"
    _description = "Done Records Lock"

    # ------------------------------------------------------------------
    # Hooks of the model using the mixin
    # ------------------------------------------------------------------
    def _isp_is_done(self):
        """Whether this record (ensure_one) is done."""
        raise NotImplementedError

    def _isp_done_locked_fields(self):
        """Names of the fields a done record keeps; None: every field but the chatter's."""
        return None

    def _isp_done_log_record(self):
        """The record (with a chatter) where a change of this done record is logged."""
        self.ensure_one()
        return self

    def _isp_done_removal_log_record(self):
        """Where the removal of this done record is logged (it must outlive it)."""
        return self._isp_done_log_record()

    def _isp_remove_done(self):
        """Remove done records once allowed and logged: delete; archive where the model
        can be archived."""
        return self.unlink()

    def _isp_done_edit_scope(self):
        """The records an administrator's correction of these may write (Odoo carries
        some changes over to linked records, e.g. a move's date onto its lines)."""
        return [self]

    # ------------------------------------------------------------------
    # The lock
    # ------------------------------------------------------------------
    def write(self, vals):
        self._isp_check_done_write(vals)
        return super().write(vals)

    def unlink(self):
        self._isp_check_done_unlink()
        return super().unlink()

    def _isp_mark_done_now(self):
        """Record that these records became done in the current transaction."""
        self.env.cr.cache.setdefault(DONE_NOW_KEY, set()).update(
            f"{self._name},{record_id}" for record_id in self.ids
        )

    def _isp_done_locked(self):
        """These records that were done before the current transaction (and are not
        being corrected by an administrator)."""
        cache = self.env.cr.cache
        writable = cache.get(DONE_NOW_KEY, set()) | cache.get(DONE_EDIT_KEY, set())
        # sudo: whether a record is done decides the lock; a user may write a record
        # without the right to read the field that says so (a portal collaborator
        # editing a task of a shared project cannot read the job state).
        return self.filtered(
            lambda record: record.sudo()._isp_is_done()
            and f"{self._name},{record.id}" not in writable
        )

    @contextmanager
    def _isp_done_unlocked(self):
        """Let the current user write (with their own rights) these done records and
        their edit scope, for the duration of the block."""
        keys = {
            f"{records._name},{record_id}"
            for records in self._isp_done_edit_scope()
            for record_id in records.ids
        }
        self.env.cr.cache.setdefault(DONE_EDIT_KEY, set()).update(keys)
        try:
            yield
        finally:
            self.env.cr.cache.get(DONE_EDIT_KEY, set()).difference_update(keys)

    def _isp_locked_fields_in(self, field_names):
        """The names among `field_names` that a done record keeps."""
        locked = self._isp_done_locked_fields()
        if locked is not None:
            return sorted(locked.intersection(field_names))
        chatter = set(self.env["mail.thread"]._fields) | set(
            self.env["mail.activity.mixin"]._fields
        )
        return sorted(set(field_names) - chatter - set(models.MAGIC_COLUMNS))

    def _isp_field_labels(self, field_names):
        return ", ".join(
            self._fields[name].get_description(self.env)["string"] if name in self._fields else name
            for name in field_names
        )

    def _isp_check_done_write(self, field_names):
        """Refuse (outside the superuser environment) to change the kept fields among
        `field_names` on records done before this transaction."""
        touched = self._isp_locked_fields_in(field_names)
        if self.env.su or not touched:
            return
        locked = self._isp_done_locked()
        if locked:
            raise UserError(
                self.env._(
                    "%(records)s is done: %(fields)s can no longer be changed. Only an "
                    "Inventory Administrator can still correct it, giving the reason.",
                    records=", ".join(locked.mapped("display_name")),
                    fields=self._isp_field_labels(touched),
                )
            )

    def _isp_check_done_unlink(self):
        """Refuse (outside the superuser environment) to delete records done before
        this transaction."""
        if self.env.su:
            return
        locked = self._isp_done_locked()
        if locked:
            raise UserError(
                self.env._(
                    "%(records)s is done and cannot be deleted. An Inventory Administrator "
                    "can remove it, giving the reason.",
                    records=", ".join(locked.mapped("display_name")),
                )
            )

    # ------------------------------------------------------------------
    # The Inventory Administrator's tracked corrections (RPC)
    # ------------------------------------------------------------------
    def action_isp_edit_done(self, vals, reason):
        """Write `vals` on these done records (Inventory Administrator only) and post
        the reason, the fields changed, who and when on their chatter."""
        self._isp_check_done_admin(reason, "write")
        what = self.env._(
            "Done record corrected (%(fields)s)",
            fields=self._isp_field_labels(self._isp_locked_fields_in(vals)),
        )
        with self._isp_done_unlocked():
            self.write(vals)
        for record in self:
            record._isp_post_done_change(record._isp_done_log_record(), what, reason)
        return True

    def action_isp_remove_done(self, reason):
        """Delete (or archive) these done records (Inventory Administrator only),
        posting the reason, who and when."""
        self._isp_check_done_admin(reason, "unlink")
        for record in self:
            record._isp_post_done_change(
                record._isp_done_removal_log_record(), self.env._("Done record removed"), reason
            )
        with self._isp_done_unlocked():
            self._isp_remove_done()
        return True

    def _isp_check_done_admin(self, reason, operation):
        if not self.env.user.has_group("stock.group_stock_manager"):
            raise AccessError(
                self.env._("Only an Inventory Administrator can correct done records.")
            )
        if not reason or not reason.strip():
            raise UserError(self.env._("Give the reason for correcting a done record."))
        self.check_access(operation)

    def _isp_post_done_change(self, target, what, reason):
        """Post on `target`'s chatter who changed this done record, when and why."""
        self.ensure_one()
        now = fields.Datetime.context_timestamp(self, fields.Datetime.now())
        # sudo: the line may go on a record the administrator only reads (the product of
        # an adjustment, the technician of a removed count); the author stays the user.
        target.sudo().message_post(
            body=self.env._(
                "%(what)s: %(record)s, by %(user)s on %(date)s. Reason: %(reason)s",
                what=what,
                record=self.display_name,
                user=self.env.user.name,
                date=now.strftime("%Y-%m-%d %H:%M:%S"),
                reason=reason.strip(),
            )
        )
