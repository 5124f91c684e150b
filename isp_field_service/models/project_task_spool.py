from odoo import models
from odoo.exceptions import UserError


class ProjectTask(models.Model):
    """Cable spools on a job's completion: the lengths used are cut from named spools
    (lots) in the technician's van, one move line per spool, each tied to the job
    (stock.move.line.isp_task_id)."""

    _inherit = "project.task"

    def _isp_split_cut_item(self, item):
        """(item without its length, metres or None) of an item of a line's ``lots``:
        ``{"lot": id or name, "qty": metres}`` names a spool and the metres cut from it."""
        if not isinstance(item, dict) or "qty" not in item:
            return item, None
        item = dict(item)
        qty = item.pop("qty")
        try:
            metres = float(qty)
        except (TypeError, ValueError) as error:
            raise UserError(
                self.env._(
                    "The metres used from spool %(lot)s must be a number, not %(qty)s.",
                    lot=item.get("lot"),
                    qty=qty,
                )
            ) from error
        return item, metres

    def _isp_spool_cuts(self, entry, product, lots, lengths):
        """``{lot: metres}`` cut from the spools `lots` of `product` for one completion
        line: each spool's own metres (``{"lot": ..., "qty": metres}``), or the line's
        ``qty_used`` when it names one spool only."""
        if all(length is None for length in lengths):
            if len(lots) > 1:
                raise UserError(
                    self.env._(
                        "%(product)s: give the metres used from each spool "
                        '({"lot": spool, "qty": metres}).',
                        product=product.display_name,
                    )
                )
            lengths = [float(entry.get("qty_used") or 0.0)]
        elif any(length is None for length in lengths):
            raise UserError(
                self.env._(
                    "%(product)s: give the metres used from each spool.",
                    product=product.display_name,
                )
            )
        cuts = dict(zip(lots, lengths, strict=True))
        for lot, metres in cuts.items():
            if product.uom_id.compare(metres, 0) <= 0:
                raise UserError(
                    self.env._(
                        "The length used from spool %(lot)s must be more than 0 m.",
                        lot=lot.name,
                    )
                )
        given = entry.get("qty_used")
        if given not in (None, False) and product.uom_id.compare(float(given), sum(cuts.values())):
            raise UserError(
                self.env._(
                    "%(product)s: %(qty)s m used, but the spools add up to %(total)s m.",
                    product=product.display_name,
                    qty=given,
                    total=sum(cuts.values()),
                )
            )
        return cuts

    def _isp_check_van_spools(self, cuts):
        """Refuse a cut longer than the part of the spool the van holds (`cuts`:
        ``{lot: metres}``): a spool never goes below nothing."""
        if not cuts:
            return
        van = self.isp_technician_id.vehicle_location_id
        # sudo: the quantities of the spools in the technician's own van (see
        # _isp_check_van_holds)
        on_hand = dict(
            self.env["stock.quant"]
            .sudo()
            ._read_group(
                [
                    ("location_id", "child_of", van.id),
                    ("lot_id", "in", [lot.id for lot in cuts]),
                ],
                ["lot_id"],
                ["quantity:sum"],
            )
        )
        for lot, metres in cuts.items():
            available = on_hand.get(lot, 0.0)
            if lot.product_id.uom_id.compare(available, metres) < 0:
                raise UserError(
                    self.env._(
                        "%(van)s holds only %(available)s m of spool %(lot)s, not %(metres)s m.",
                        van=van.display_name,
                        available=available,
                        lot=lot.name,
                        metres=metres,
                    )
                )
