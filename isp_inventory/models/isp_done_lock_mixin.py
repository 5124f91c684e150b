from odoo import fields, models
from odoo.exceptions import AccessError, UserError

# Key of the transaction-local set (``cr.cache``, emptied at commit and rollback) of the
# "model,id" of records that became done in the current transaction: Odoo finishes
# them in the same transaction (the picking's date_done copied onto its moves, an
# inventory adjustment's accounting date, ...). Only records done in an earlier
# transaction are locked. Server state, never the RPC context.
DONE_NOW_KEY = "isp_inventory.done_now"


class IspDoneLockMixin(models.AbstractModel):
    """Done is done: the business fields of a done record (a validated stock move, an
    applied count, a posted loss report, a completed job) cannot be written, and the
    record cannot be deleted, except by an Inventory Administrator through
    `action_isp_edit_done` / `action_isp_remove_done`, which post who, when and why on
    the record's chatter. A plain `write`/`unlink` is refused even for the
    administrator; the superuser environment (server-side operations) passes.

    A model using it defines `_isp_is_done` and calls `_isp_check_done_write(vals)` at
    the start of `write` and `_isp_check_done_unlink()` in `unlink`."""

    _name = "isp.done.lock.mixin"
    _description = "Done Records Lock"

    # ------------------------------------------------------------------
    # Hooks of the model using the mixin
    # ------------------------------------------------------------------
    def _isp_is_done(self):
        """Whether this record (ensure_one) is done."""
        raise NotImplementedError

    def _isp_done_locked_fields(self):
        """Names of the fields a done record keeps; None: every field except the
        chatter's and `_isp_done_free_fields`."""
        return None

    def _isp_done_free_fields(self):
        """Harmless fields that stay writable when `_isp_done_locked_fields` is None."""
        return set()

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
        # sudo: the done lock lets only the superuser environment through; the caller
        # is an Inventory Administrator who gave a reason (checked by the caller).
        return self.sudo().unlink()

    # ------------------------------------------------------------------
    # The lock
    # ------------------------------------------------------------------
    def _isp_mark_done_now(self):
        """Record that these records became done in the current transaction."""
        self.env.cr.cache.setdefault(DONE_NOW_KEY, set()).update(
            f"{self._name},{record_id}" for record_id in self.ids
        )

    def _isp_done_locked(self):
        """These records that were done before the current transaction."""
        done_now = self.env.cr.cache.get(DONE_NOW_KEY, set())
        return self.filtered(
            lambda record: record._isp_is_done() and f"{self._name},{record.id}" not in done_now
        )

    def _isp_locked_fields_in(self, field_names):
        """The names among `field_names` that a done record keeps."""
        locked = self._isp_done_locked_fields()
        if locked is not None:
            return sorted(locked.intersection(field_names))
        chatter = set(self.env["mail.thread"]._fields) | set(
            self.env["mail.activity.mixin"]._fields
        )
        free = chatter | self._isp_done_free_fields() | set(models.MAGIC_COLUMNS)
        return sorted(set(field_names) - free)

    def _isp_check_done_write(self, field_names):
        touched = self._isp_locked_fields_in(field_names)
        if self.env.su or not touched:
            return
        locked = self._isp_done_locked()
        if locked:
            raise UserError(
                self.env._(
                    "%(records)s is done: %(fields)s can no longer be changed. An Inventory "
                    "Administrator can correct it, giving the reason (Edit Done).",
                    records=", ".join(locked.mapped("display_name")),
                    fields=", ".join(self._fields[name].string for name in touched),
                )
            )

    def _isp_check_done_unlink(self):
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
            fields=", ".join(
                self._fields[name].string if name in self._fields else name
                for name in self._isp_locked_fields_in(vals)
            ),
        )
        # sudo: the done lock lets only the superuser environment through; the caller
        # is an Inventory Administrator with write access who gave a reason (above).
        self.sudo().write(vals)
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
