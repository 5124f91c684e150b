from odoo.addons.isp_field_service.tests.common import IspFieldServiceCommon
from odoo.fields import Command


class IspReportsCommon(IspFieldServiceCommon):
    """Report fixtures on top of the field-service ones, and the steps that feed the
    reports: issue to a van, complete a job, report a loss, count a van."""

    @classmethod
    def _issue_to_technician(cls, product, quantity, technician=None, lot=None):
        """A done internal transfer branch stock → the technician's van."""
        technician = technician or cls.technician
        return cls.env["stock.picking"]._isp_create_done(
            technician.warehouse_id.int_type_id,
            technician.warehouse_id.lot_stock_id,
            technician.vehicle_location_id,
            [(product, quantity, lot or cls.env["stock.lot"])],
        )

    @classmethod
    def _report_loss(cls, technician, lines, loss_type="lost"):
        """A loss report of `lines` [(product, quantity, lot)], submitted and approved
        (posted into the branch Losses location)."""
        report = cls.env["isp.loss.report"].create(
            {
                "technician_id": technician.id,
                "loss_type": loss_type,
                "description": "Report test loss",
                "line_ids": [
                    (0, 0, {"product_id": product.id, "quantity": quantity, "lot_id": lot.id})
                    for product, quantity, lot in lines
                ],
            }
        )
        report.action_submit()
        report.with_user(cls.approver_user).action_approve()
        return report

    @classmethod
    def _count(cls, product, location, counted):
        """Count the technician of `location` (an isp.stock.count run by the storekeeper)
        finding `counted` units of `product` there; returns the applied count."""
        count = (
            cls.env["isp.stock.count"]
            .with_user(cls.storekeeper_user)
            .create({"technician_id": location.isp_technician_id.id})
        )
        count.action_start()
        line = count.line_ids.filtered(
            lambda line: line.product_id == product and line.location_id == location
        )
        reason = "found" if counted > line.expected_qty else "lost"
        if line:
            line.write({"counted_qty": counted, "reason": reason})
        else:
            count.write(
                {
                    "line_ids": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "location_id": location.id,
                                "counted_qty": counted,
                                "reason": reason,
                            }
                        )
                    ]
                }
            )
        count.action_apply()
        return count

    @classmethod
    def _adjust(cls, product, location, quantity):
        """Set the quantity of `product` in `location` by a plain inventory adjustment
        (Odoo's Physical Inventory, outside any technician count)."""
        quant = (
            cls.env["stock.quant"]
            .with_context(inventory_mode=True)
            .create(
                {
                    "product_id": product.id,
                    "location_id": location.id,
                    "inventory_quantity": quantity,
                }
            )
        )
        quant.action_apply_inventory()
        return quant
