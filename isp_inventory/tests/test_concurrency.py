"""What makes a race end with one winner, checked in one transaction: no internal location
of a branch below zero after a done transfer, an ISP transfer validated once, one serial
row per product/name/company in the database, and the pre-migration that refuses a
database already holding duplicates. (The races themselves, against a multi-process
server: tests/test_races_xmlrpc.py.)"""

import importlib.util

from psycopg2.errors import UniqueViolation

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger
from odoo.tools.misc import file_path

from .common import IspInventoryCommon

MIGRATION = "isp_inventory/migrations/19.0.1.1.0/pre-lot-unique.py"


@tagged("post_install", "-at_install")
class TestConcurrency(IspInventoryCommon):
    def _forced_transfer(self, source, destination, product, quantity, picking_type=None):
        """A transfer whose quantity is set by hand beyond what is reserved (Odoo allows
        it), ready to validate."""
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": (picking_type or self.branch.int_type_id).id,
                "location_id": source.id,
                "location_dest_id": destination.id,
                "move_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": quantity,
                            "location_id": source.id,
                            "location_dest_id": destination.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.move_ids.quantity = quantity
        picking.move_ids.picked = True
        return picking

    def _assert_refused_below_zero(self, picking, location, product, on_hand):
        with self.assertRaises(UserError) as error:  # assertRaises rolls back (savepoint)
            picking.with_user(self.storekeeper_user).button_validate()
        self.assertIn("less than nothing", str(error.exception))
        self.assertIn(location.display_name, str(error.exception))
        self.assertEqual(self._qty(product, location), on_hand)
        self.assertNotEqual(picking.state, "done")

    def test_branch_store_never_goes_negative(self):
        """The last-unit race, sequentially: the branch holds 3, a transfer forced to 5
        (to a customer, or into another technician's van) is refused."""
        self._put_in_stock(self.patch_cord, self.branch_stock, 3)
        to_customer = self._forced_transfer(
            self.branch_stock,
            self.customer.property_stock_customer,
            self.patch_cord,
            5,
            picking_type=self.branch.out_type_id,
        )
        self._assert_refused_below_zero(to_customer, self.branch_stock, self.patch_cord, 3)
        to_van = self._forced_transfer(self.branch_stock, self.van, self.patch_cord, 5)
        self._assert_refused_below_zero(to_van, self.branch_stock, self.patch_cord, 3)
        self.assertEqual(self._qty(self.patch_cord, self.van), 0)

    def test_quarantine_never_goes_negative(self):
        quarantine = self.branch._isp_get_quarantine_location()
        self._put_in_stock(self.patch_cord, quarantine, 1)
        picking = self._forced_transfer(quarantine, self.branch_stock, self.patch_cord, 2)
        self._assert_refused_below_zero(picking, quarantine, self.patch_cord, 1)
        self.assertEqual(self._qty(self.patch_cord, self.branch_stock), 0)

    def test_inventory_mode_cannot_take_a_store_below_zero(self):
        self._put_in_stock(self.patch_cord, self.branch_stock, 3)
        domain = [
            ("product_id", "=", self.patch_cord.id),
            ("location_id", "=", self.branch_stock.id),
        ]
        quant = self.env["stock.quant"].with_context(inventory_mode=True).search(domain)
        quant.inventory_quantity = -2
        with self.assertRaises(UserError) as error:
            quant.action_apply_inventory()
        self.assertIn("less than nothing", str(error.exception))
        self.assertEqual(self._qty(self.patch_cord, self.branch_stock), 3)

    def test_outside_branches_odoo_still_allows_negative_stock(self):
        """An internal location of no warehouse keeps Odoo's behaviour: a forced
        transfer may take it below zero."""
        loose = self.env["stock.location"].create(
            {"name": "Loose Shelf", "usage": "internal", "location_id": False}
        )
        self.assertFalse(loose.warehouse_id)
        self._put_in_stock(self.patch_cord, loose, 1)
        picking = self._forced_transfer(
            loose, self.customer.property_stock_customer, self.patch_cord, 3
        )
        picking.with_user(self.storekeeper_user).button_validate()
        self.assertEqual(picking.state, "done")
        self.assertEqual(self._qty(self.patch_cord, loose), -2)

    def test_isp_transfer_validated_again_is_refused(self):
        """A second submission of an issuance already done is told so (Odoo itself skips
        done transfers silently); nothing moves twice."""
        self._put_in_stock(self.patch_cord, self.branch_stock, 10)
        request = self.technician._isp_create_request([(self.patch_cord, 4)])
        request.action_confirm()
        request.move_ids.picked = True
        request.with_user(self.storekeeper_user).button_validate()
        self.assertEqual(request.state, "done")
        with self.assertRaises(UserError) as error:
            request.with_user(self.storekeeper_user).button_validate()
        self.assertIn("already done", str(error.exception))
        self.assertEqual(self._qty(self.patch_cord, self.van), 4)
        self.assertEqual(self._qty(self.patch_cord, self.branch_stock), 6)

    def test_lock_rereads_the_records(self):
        """After the lock, the records are read again from the database (what another
        transaction committed), not from the cache."""
        lot = self._put_in_stock(self.ont, self.van, lot_name="LOCK-1")
        lot.invalidate_recordset()
        self.assertEqual(lot.name, "LOCK-1")
        self.env.cr.execute(
            SQL("UPDATE stock_lot SET name = %s WHERE id = %s", "LOCK-1-RENAMED", lot.id)
        )
        self.assertEqual(lot.name, "LOCK-1")  # the cache
        self.assertEqual(lot._isp_lock(), lot)
        self.assertEqual(lot.name, "LOCK-1-RENAMED")

    # ------------------------------------------------------------------
    # One serial row per product, name and company
    # ------------------------------------------------------------------
    def _insert_copy(self, lot, company=None):
        """Insert a copy of `lot` in SQL, past Odoo's Python check (as a concurrent
        transaction's insert would be: invisible to it)."""
        self.env.flush_all()
        company_id = (lot.company_id if company is None else company).id or None
        self.env.cr.execute(
            SQL(
                "INSERT INTO stock_lot (name, product_id, company_id) VALUES (%s, %s, %s) "
                "RETURNING id",
                lot.name,
                lot.product_id.id,
                company_id,
            )
        )
        return self.env.cr.fetchone()[0]

    def _serial_rows(self, lot):
        self.env.cr.execute(
            SQL(
                "SELECT count(*) FROM stock_lot WHERE product_id = %s AND name = %s",
                lot.product_id.id,
                lot.name,
            )
        )
        return self.env.cr.fetchone()[0]

    def test_database_refuses_a_second_row_of_a_serial(self):
        self.ont.tracking = "serial"
        for company in (self.env.company, self.env["res.company"]):
            lot = self.env["stock.lot"].create(
                {
                    "name": f"UNIQUE-{company.id or 'none'}",
                    "product_id": self.ont.id,
                    "company_id": company.id,
                }
            )
            with (
                self.assertRaises(UniqueViolation),
                mute_logger("odoo.sql_db"),
                self.env.cr.savepoint(),
            ):
                self._insert_copy(lot)
            self.assertEqual(self._serial_rows(lot), 1)

    def test_two_companies_may_share_a_serial_name(self):
        """As Odoo's `_check_unique_lot`: unique within a company, not across them."""
        other = self.env["res.company"].create({"name": "Other ISP"})
        lot = self.env["stock.lot"].create(
            {"name": "SHARED-1", "product_id": self.ont.id, "company_id": self.env.company.id}
        )
        self._insert_copy(lot, company=other)
        self.assertEqual(self._serial_rows(lot), 2)

    def _pre_migration(self):
        spec = importlib.util.spec_from_file_location("pre_lot_unique", file_path(MIGRATION))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    def test_pre_migration_refuses_duplicate_serials(self):
        """An existing database holding the same serial twice (possible before the
        index) is not upgraded; the message lists the duplicates, nothing is changed."""
        migration = self._pre_migration()
        lot = self.env["stock.lot"].create({"name": "DUP-1", "product_id": self.ont.id})
        migration.migrate(self.env.cr, "19.0.1.0.0")  # no duplicates: passes
        self.env.cr.execute(SQL("DROP INDEX stock_lot_isp_serial_unique"))
        duplicate = self._insert_copy(lot)
        with self.assertRaises(UserError) as error:
            migration.migrate(self.env.cr, "19.0.1.0.0")
        message = str(error.exception)
        self.assertIn("'DUP-1'", message)
        self.assertIn(f"stock.lot ids {lot.id}, {duplicate}", message)
        self.assertEqual(self._serial_rows(lot), 2)
