from odoo import fields, models
from odoo.exceptions import AccessError


class StockScrap(models.Model):
    _inherit = "stock.scrap"

    isp_loss_report_id = fields.Many2one(
        "isp.loss.report",
        string="Loss Report",
        index="btree_not_null",
        readonly=True,
        check_company=True,
    )

    def write(self, vals):
        """A scrap is done when its move is (Odoo's `do_scrap` validates the move, then
        marks the scrap): a user's write of ``state`` would show goods scrapped that
        never left their location."""
        if vals.get("state") == "done" and not self.env.su:
            undone = self.filtered(
                lambda scrap: not scrap.move_ids.filtered(lambda move: move.state == "done")
            )
            if undone:
                raise AccessError(
                    self.env._(
                        "%(scrap)s becomes done only when it is validated: its state "
                        "cannot be written.",
                        scrap=undone[0].display_name,
                    )
                )
        return super().write(vals)
