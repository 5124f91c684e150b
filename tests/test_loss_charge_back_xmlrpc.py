"""Loss charge-back over XML-RPC (issue 12 point 2), as fresh users of each role in a
branch of their own: the approver approves a loss report and decides the charge in the
same call; the technician reads his own charge only, read-only; a storekeeper can
neither decide nor reverse; a manager reverses with a reason. The demo company's
charge-back accounts (demo data) are used."""

import uuid
import xmlrpc.client

import pytest
from conftest import FAULT_ACCESS_ERROR, FAULT_USER_ERROR, new_product, receive

ROLES = {
    "technician": "isp_inventory.group_isp_technician",
    "colleague": "isp_inventory.group_isp_technician",
    "storekeeper": "isp_inventory.group_isp_storekeeper",
    "approver": "isp_inventory.group_isp_approver",
    "manager": "isp_inventory.group_isp_manager",
}


@pytest.fixture(scope="module")
def world(rpc):
    admin = rpc()
    tag = uuid.uuid4().hex[:6]
    clients, uids = {}, {}
    for role, group in ROLES.items():
        login = f"cb_{role}_{tag}"
        uids[role] = admin.call(
            "res.users",
            "create",
            {
                "name": f"Charge-back {role} {tag}",
                "login": login,
                "password": login,
                "group_ids": [(6, 0, [admin.ref("base.group_user"), admin.ref(group)])],
            },
        )
        clients[role] = rpc(login, login)
    branch = admin.call(
        "stock.warehouse", "create", {"name": f"Charge Branch {tag}", "code": f"C{tag[:4]}"}
    )
    receipt = admin.call("stock.warehouse", "read", [branch], ["in_type_id"])[0]["in_type_id"][0]
    techs = {
        role: admin.call(
            "isp.technician", "create", {"user_id": uids[role], "warehouse_id": branch}
        )
        for role in ("technician", "colleague")
    }
    van = admin.call("isp.technician", "read", [techs["technician"]], ["vehicle_location_id"])[0][
        "vehicle_location_id"
    ][0]
    cord = new_product(admin, f"Charge Cord {tag}", "consumable", standard_price=120.0)
    receive(admin, receipt, van, [(cord, 20, False)])
    company = admin.call("res.users", "read", [admin.uid], ["company_id"])[0]["company_id"][0]
    settings = admin.call(
        "res.company",
        "read",
        [company],
        ["isp_charge_percent", "isp_charge_receivable_account_id", "isp_charge_loss_account_id"],
    )[0]
    return {
        "admin": admin,
        "clients": clients,
        "uids": uids,
        "techs": techs,
        "cord": cord,
        "van": van,
        "settings": settings,
    }


def _submitted(world, quantity=2):
    tech = world["clients"]["technician"]
    report = tech.call(
        "isp.loss.report",
        "create",
        {
            "technician_id": world["techs"]["technician"],
            "loss_type": "lost",
            "description": "Cords left at a pole",
            "line_ids": [(0, 0, {"product_id": world["cord"], "quantity": quantity})],
        },
    )
    tech.call("isp.loss.report", "action_submit", [report])
    return report


def _report(world, report):
    return world["admin"].call(
        "isp.loss.report",
        "read",
        [report],
        ["state", "isp_charge_decision", "isp_charge_decided_by_id", "isp_charge_id"],
    )[0]


def _refused(call, code=FAULT_ACCESS_ERROR):
    with pytest.raises(xmlrpc.client.Fault) as error:
        call()
    assert error.value.faultCode == code, error.value.faultString
    return error.value.faultString


def test_demo_company_is_configured(world):
    settings = world["settings"]
    assert settings["isp_charge_receivable_account_id"]
    assert settings["isp_charge_loss_account_id"]
    assert settings["isp_charge_percent"] == 50.0


def test_approver_decides_a_percent_charge_in_the_approval(world):
    approver, admin = world["clients"]["approver"], world["admin"]
    report = _submitted(world, quantity=2)
    # a reason is required: refused, nothing changed
    _refused(
        lambda: approver.call("isp.loss.report", "action_approve", [report], charge="percent"),
        FAULT_USER_ERROR,
    )
    assert _report(world, report)["state"] == "submitted"
    assert not _report(world, report)["isp_charge_id"]
    approver.call(
        "isp.loss.report",
        "action_approve",
        [report],
        charge="percent",
        charge_reason="Left at the pole",
    )
    values = _report(world, report)
    assert values["state"] == "done"
    assert values["isp_charge_decision"] == "percent"
    assert values["isp_charge_decided_by_id"][0] == world["uids"]["approver"]
    charge = admin.call(
        "isp.loss.charge",
        "read",
        [values["isp_charge_id"][0]],
        ["amount", "loss_value", "percent", "state", "move_id", "technician_id"],
    )[0]
    assert charge["loss_value"] == 240.0
    assert charge["percent"] == 50.0
    assert charge["amount"] == 120.0
    assert charge["technician_id"][0] == world["techs"]["technician"]
    lines = admin.call(
        "account.move.line",
        "search_read",
        [("move_id", "=", charge["move_id"][0])],
        fields=["account_id", "debit", "credit", "partner_id", "parent_state"],
    )
    tech_partner = admin.call("res.users", "read", [world["uids"]["technician"]], ["partner_id"])[
        0
    ]["partner_id"][0]
    settings = world["settings"]
    debit = next(line for line in lines if line["debit"])
    credit = next(line for line in lines if line["credit"])
    assert debit["account_id"][0] == settings["isp_charge_receivable_account_id"][0]
    assert debit["debit"] == 120.0 and debit["partner_id"][0] == tech_partner
    assert credit["account_id"][0] == settings["isp_charge_loss_account_id"][0]
    assert credit["credit"] == 120.0
    assert {line["parent_state"] for line in lines} == {"posted"}
    technician = admin.call(
        "isp.technician",
        "read",
        [world["techs"]["technician"]],
        ["charge_total", "charge_outstanding"],
    )[0]
    assert technician["charge_total"] >= 120.0
    assert technician["charge_outstanding"] >= 120.0


def test_technician_and_storekeeper_cannot_decide(world):
    report = _submitted(world, quantity=1)
    for role in ("technician", "storekeeper"):
        client = world["clients"][role]
        _refused(
            lambda client=client: client.call(
                "isp.loss.report", "action_approve", [report], charge="full", charge_reason="x"
            )
        )
        _refused(
            lambda client=client: client.call(
                "isp.loss.report", "write", [report], {"isp_charge_decision": "full"}
            )
        )
    values = _report(world, report)
    assert values["state"] == "submitted" and not values["isp_charge_decision"]


def test_technician_reads_own_charges_only_read_only(world):
    approver = world["clients"]["approver"]
    report = _submitted(world, quantity=1)
    approver.call(
        "isp.loss.report", "action_approve", [report], charge="full", charge_reason="Lost again"
    )
    charge = _report(world, report)["isp_charge_id"][0]
    tech, colleague = world["clients"]["technician"], world["clients"]["colleague"]
    own = tech.call("isp.loss.charge", "search_read", [], fields=["amount", "amount_outstanding"])
    assert charge in [row["id"] for row in own]
    mine = next(row for row in own if row["id"] == charge)
    assert mine["amount"] == 120.0 and mine["amount_outstanding"] == 120.0
    assert colleague.call("isp.loss.charge", "search", []) == []
    _refused(lambda: colleague.call("isp.loss.charge", "read", [charge], ["amount"]))
    _refused(lambda: tech.call("isp.loss.charge", "write", [charge], {"amount": 1.0}))
    _refused(lambda: tech.call("isp.loss.charge", "action_isp_reverse", [charge], "Not me"))
    amount = world["admin"].call("isp.loss.charge", "read", [charge], ["amount", "state"])[0]
    assert amount["amount"] == 120.0 and amount["state"] == "posted"


def test_manager_reverses_storekeeper_and_approver_cannot(world):
    approver, admin = world["clients"]["approver"], world["admin"]
    report = _submitted(world, quantity=1)
    approver.call(
        "isp.loss.report", "action_approve", [report], charge="full", charge_reason="Lost"
    )
    charge = _report(world, report)["isp_charge_id"][0]
    for role in ("storekeeper", "approver"):
        client = world["clients"][role]
        _refused(
            lambda client=client: client.call(
                "isp.loss.charge", "action_isp_reverse", [charge], "Forgiven"
            )
        )
    assert admin.call("isp.loss.charge", "read", [charge], ["state"])[0]["state"] == "posted"
    manager = world["clients"]["manager"]
    _refused(
        lambda: manager.call("isp.loss.charge", "action_isp_reverse", [charge], " "),
        FAULT_USER_ERROR,
    )
    manager.call("isp.loss.charge", "action_isp_reverse", [charge], "Cords found")
    values = admin.call(
        "isp.loss.charge",
        "read",
        [charge],
        ["state", "reversal_reason", "reversed_by_id", "reversal_move_id", "amount_outstanding"],
    )[0]
    assert values["state"] == "reversed"
    assert values["reversal_reason"] == "Cords found"
    assert values["reversed_by_id"][0] == world["uids"]["manager"]
    assert values["amount_outstanding"] == 0.0
    reversal = admin.call(
        "account.move", "read", [values["reversal_move_id"][0]], ["state", "reversed_entry_id"]
    )[0]
    assert reversal["state"] == "posted" and reversal["reversed_entry_id"]
