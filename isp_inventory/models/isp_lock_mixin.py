from odoo import models
from odoo.exceptions import LockError


class IspLockMixin(models.AbstractModel):
    """One operation at a time on a document (job, serial, count, loss report, transfer).

    Each ISP operation starts with ``self._isp_lock()``: the documents' rows are locked
    until the transaction ends, without waiting. A second submission while the first
    runs is refused at once ("already being processed"); one that comes after the first
    committed sees its result and is refused by the operation's own state checks
    ("already completed", "not waiting for approval", ...). Under PostgreSQL's
    REPEATABLE READ, locking a row that a transaction committed since ours began raises
    a serialization failure: Odoo's RPC layer then retries the whole call in a new
    transaction, which sees the committed state, so a retry never does the work twice.
    """

    _name = "isp.lock.mixin"
    _description = "ISP Document Lock"

    def _isp_lock(self):
        """Lock these records (or refuse: UserError) and re-read them; returns self."""
        try:
            # FOR NO KEY UPDATE SKIP LOCKED: concurrent ISP operations on the same
            # records conflict, while other transactions may still reference them
            # (e.g. a move line created for a serial).
            self.exists().lock_for_update(allow_referencing=True)
        except LockError:
            raise LockError(
                self.env._(
                    "%(records)s is already being processed by another user; try again in "
                    "a moment.",
                    # sudo: only the names of the records the user is acting on are shown
                    # (a serial installed at a customer may be outside their record rules).
                    records=", ".join(self.sudo().mapped("display_name")),
                )
            ) from None
        # The state checks that follow must read what is committed now, not the cache.
        self.invalidate_recordset()
        return self
