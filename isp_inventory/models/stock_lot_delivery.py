from odoo import models
from odoo.fields import Domain


class StockLot(models.Model):
    """A serial's deliveries ("Transfer to", the Transfers button, the customer search)
    read only that serial's move lines.

    Odoo finds them with `move_id.picking_code = 'outgoing'` among other conditions.
    The ORM turns that path into `move_id IN (SELECT ... FROM stock_move ...)`, and
    inside an OR PostgreSQL hashes the whole subquery: every outgoing move of the
    company (480k at ISP size, 0.8 s) for each list of serials, each serial's form and
    each scan. Joining the move instead (`any!`) keeps the same condition on the same
    rows, read through the move line's `lot_id` index (25 ms).
    """

    _inherit = "stock.lot"

    def _get_outgoing_domain(self):
        # `any!` skips stock.move's record rules inside this condition only. The move
        # lines searched are still filtered by their own rules (the same company rule as
        # their moves), and the condition reads the move's operation type, nothing else.
        def join_move(condition):
            if condition.field_expr == "move_id.picking_code":
                condition = Domain(
                    "move_id", "any", Domain("picking_code", condition.operator, condition.value)
                )
            if condition.field_expr == "move_id" and condition.operator == "any":
                return Domain("move_id", "any!", condition.value)
            return condition

        return Domain(super()._get_outgoing_domain()).map_conditions(join_move)
