from odoo import api, models
from odoo.exceptions import AccessError

SPOOLS = ("FT-DC2-SPOOL-0001", "FT-DC2-SPOOL-0002")
SPOOL_METRES = 500.0
ISSUED_METRES = 150.0
# (job, customer position, metres used from spool 0001)
CUTS = (
    ("job_john_spool_1_demo", (-1.2697, 36.8062), 38.0),
    ("job_john_spool_2_demo", (-1.2617, 36.7889), 42.0),
    ("job_john_spool_3_demo", (-1.2995, 36.8621), 27.0),
)


class IspDemoHistory(models.AbstractModel):
    _inherit = "isp.demo.history"

    @api.model
    def _isp_load_spool_demo(self):
        """Cable spools in the demo (once; demo data only): two spools bought by a
        purchase order and received at Westlands, 150 m of the first cut into John's
        van, three lengths of it used on his jobs. Each step is done by its person."""
        if not self.env.su:
            raise AccessError(self.env._("The demo data is loaded by the install only."))
        ref = self.env.ref
        product = ref("isp_inventory.product_drop_cable_2core_spool_demo")
        if self.env["stock.lot"].search_count([("name", "in", SPOOLS)]):
            return False
        office = ref("base.user_admin")
        store = ref("isp_inventory.user_storekeeper_wanjiru_demo")
        john = ref("isp_inventory.tech_john_demo")
        branch = john.warehouse_id
        order = (
            self.env["purchase.order"]
            .with_user(office)
            .create(
                {
                    "partner_id": ref("isp_inventory.vendor_fibertech_demo").id,
                    "picking_type_id": branch.in_type_id.id,
                    "order_line": [
                        (
                            0,
                            0,
                            {
                                "product_id": product.id,
                                "product_qty": SPOOL_METRES * len(SPOOLS),
                                "price_unit": product.seller_ids[:1].price,
                            },
                        )
                    ],
                }
            )
        )
        order.button_confirm()
        receipt = order.picking_ids.with_user(store)
        move = receipt.move_ids
        move.move_line_ids.unlink()
        self.env["stock.move.line"].with_user(store).create(
            [
                {
                    "move_id": move.id,
                    "picking_id": receipt.id,
                    "product_id": product.id,
                    "lot_name": name,
                    "quantity": SPOOL_METRES,
                    "location_id": move.location_id.id,
                    "location_dest_id": move.location_dest_id.id,
                }
                for name in SPOOLS
            ]
        )
        receipt.move_ids.picked = True
        receipt.with_context(skip_backorder=True, skip_sms=True).button_validate()
        spool = self.env["stock.lot"].search(
            [("name", "=", SPOOLS[0]), ("product_id", "=", product.id)]
        )
        spool.with_user(store).action_isp_issue_spool(john.id, ISSUED_METRES)
        for xmlid, (latitude, longitude), metres in CUTS:
            job = ref(f"isp_field_service.{xmlid}").with_user(john.user_id)
            job.action_isp_complete(
                {
                    "lines": [
                        {"product_id": product.id, "lots": [{"lot": spool.name, "qty": metres}]}
                    ],
                    "leftover": "carry",
                    "latitude": latitude,
                    "longitude": longitude,
                }
            )
        return True
