"""Technician stock counts over XML-RPC, as the demo users: the storekeeper counts John's
van and kit and applies a variance; John reads his own count but cannot apply it nor see
another technician's; a negative count is refused and changes nothing; a variance above
the company's threshold waits for the approver, who applies it."""

import xmlrpc.client

import pytest


@pytest.fixture(scope="module")
def store(rpc):
    return rpc("store", "store")


@pytest.fixture(scope="module")
def john(rpc):
    return rpc("john", "john")


@pytest.fixture(scope="module")
def ids(rpc):
    admin = rpc()  # XML ids are readable by administrators only
    return {
        "john": admin.ref("isp_inventory.tech_john_demo"),
        "mary": admin.ref("isp_inventory.tech_mary_demo"),
        "cable_tie": admin.ref("isp_inventory.product_cable_tie_demo"),
    }


def _started_count(store, technician_id, kind="monthly"):
    count_id = store.call(
        "isp.stock.count", "create", {"technician_id": technician_id, "kind": kind}
    )
    assert store.call("isp.stock.count", "action_start", [count_id]) is True
    return count_id


def _line(store, count_id, product_id):
    lines = store.call(
        "isp.stock.count.line",
        "search_read",
        [("count_id", "=", count_id), ("product_id", "=", product_id)],
        fields=["expected_qty", "counted_qty", "location_id", "variance_qty"],
    )
    assert len(lines) == 1
    return lines[0]


def _on_hand(store, product_id, location_id):
    quants = store.call(
        "stock.quant",
        "search_read",
        [("product_id", "=", product_id), ("location_id", "=", location_id)],
        fields=["quantity"],
    )
    return sum(q["quantity"] for q in quants)


def _assert_one_adjustment(store, count, product_id, quantity, location_id):
    """The count applied one done inventory move of `quantity` out of `location_id`,
    referenced with the count's name."""
    moves = store.call(
        "stock.move",
        "read",
        count["move_ids"],
        ["reference", "is_inventory", "state", "product_id", "quantity", "location_id"],
    )
    assert [
        (
            m["reference"],
            m["is_inventory"],
            m["state"],
            m["product_id"][0],
            m["quantity"],
            m["location_id"][0],
        )
        for m in moves
    ] == [(count["name"], True, "done", product_id, quantity, location_id)]


def test_storekeeper_counts_and_applies_a_variance(store, ids):
    count_id = _started_count(store, ids["john"])
    line = _line(store, count_id, ids["cable_tie"])
    van_id = line["location_id"][0]
    before = _on_hand(store, ids["cable_tie"], van_id)
    assert line["expected_qty"] == line["counted_qty"] == before > 2

    store.call("isp.stock.count.line", "write", [line["id"]], {"counted_qty": before - 2})
    with pytest.raises(xmlrpc.client.Fault, match="Give the reason"):
        store.call("isp.stock.count", "action_apply", [count_id])
    assert _on_hand(store, ids["cable_tie"], van_id) == before

    store.call(
        "isp.stock.count.line",
        "write",
        [line["id"]],
        {"reason": "unrecorded_use", "note": "Used on a job, not booked"},
    )
    assert store.call("isp.stock.count", "action_apply", [count_id]) is True

    assert _on_hand(store, ids["cable_tie"], van_id) == before - 2
    count = store.call(
        "isp.stock.count", "read", [count_id], ["name", "state", "move_ids", "variance_value"]
    )[0]
    assert count["state"] == "done"
    assert count["variance_value"] < 0
    _assert_one_adjustment(store, count, ids["cable_tie"], 2.0, van_id)


def test_technician_reads_own_count_only_and_cannot_apply(store, john, ids):
    mine = _started_count(store, ids["john"], kind="audit")
    theirs = _started_count(store, ids["mary"], kind="audit")
    try:
        visible = john.call("isp.stock.count", "search", [("id", "in", [mine, theirs])])
        assert visible == [mine]
        lines = john.call(
            "isp.stock.count.line", "search_read", [("count_id", "=", mine)], fields=["id"]
        )
        assert lines
        with pytest.raises(xmlrpc.client.Fault, match="Only a storekeeper"):
            john.call("isp.stock.count", "action_apply", [mine])
        with pytest.raises(xmlrpc.client.Fault, match="not allowed|access to"):
            john.call("isp.stock.count.line", "write", [lines[0]["id"]], {"counted_qty": 0})
        with pytest.raises(xmlrpc.client.Fault, match="not allowed|access to"):
            john.call("isp.stock.count", "read", [theirs], ["name"])
        state = store.call("isp.stock.count", "read", [mine], ["state"])[0]["state"]
        assert state == "counting"
    finally:
        store.call("isp.stock.count", "action_cancel", [mine, theirs])


def test_negative_count_refused_changes_nothing(store, ids):
    count_id = _started_count(store, ids["john"])
    try:
        line = _line(store, count_id, ids["cable_tie"])
        van_id = line["location_id"][0]
        before = _on_hand(store, ids["cable_tie"], van_id)
        with pytest.raises(xmlrpc.client.Fault, match="cannot be negative"):
            store.call(
                "isp.stock.count.line",
                "write",
                [line["id"]],
                {"counted_qty": -5, "reason": "other"},
            )
        assert _line(store, count_id, ids["cable_tie"])["counted_qty"] == before

        quant = store.call(
            "stock.quant",
            "search",
            [("product_id", "=", ids["cable_tie"]), ("location_id", "=", van_id)],
        )
        with pytest.raises(xmlrpc.client.Fault, match="cannot be negative"):
            store.call("stock.quant", "write", quant, {"inventory_quantity": -1})
        assert _on_hand(store, ids["cable_tie"], van_id) == before
        moves = store.call(
            "stock.move", "search_count", [("inventory_name", "=", _name(store, count_id))]
        )
        assert moves == 0
    finally:
        store.call("isp.stock.count", "action_cancel", [count_id])


def _name(store, count_id):
    return store.call("isp.stock.count", "read", [count_id], ["name"])[0]["name"]


@pytest.fixture(scope="module")
def approver(rpc):
    return rpc("approver", "approver")


def test_large_variance_waits_for_the_approver(rpc, store, approver, ids):
    """Above the company's count variance threshold, applying sends the count to an
    approver: the stock changes only when the approver (not the storekeeper) approves."""
    admin = rpc()
    count_id = _started_count(store, ids["john"])
    company_id = store.call("isp.stock.count", "read", [count_id], ["company_id"])[0]["company_id"][
        0
    ]
    threshold = admin.call("res.company", "read", [company_id], ["isp_count_variance_threshold"])[
        0
    ]["isp_count_variance_threshold"]
    # Cable ties cost a cent: 5 missing exceed a threshold of 2 cents.
    admin.call("res.company", "write", [company_id], {"isp_count_variance_threshold": 0.02})
    try:
        line = _line(store, count_id, ids["cable_tie"])
        van_id = line["location_id"][0]
        before = _on_hand(store, ids["cable_tie"], van_id)
        store.call(
            "isp.stock.count.line",
            "write",
            [line["id"]],
            {"counted_qty": before - 5, "reason": "lost", "note": "Bag left at a site"},
        )
        assert store.call("isp.stock.count", "action_apply", [count_id]) is True

        fields = [
            "state",
            "isp_approval_state",
            "submitted_by_id",
            "isp_approved_by_id",
            "variance_abs_value",
            "move_ids",
        ]
        count = store.call("isp.stock.count", "read", [count_id], fields)[0]
        assert count["state"] == count["isp_approval_state"] == "to_approve"
        assert count["submitted_by_id"][0] == store.uid
        assert count["variance_abs_value"] > 0.02
        assert not count["isp_approved_by_id"] and not count["move_ids"]
        assert _on_hand(store, ids["cable_tie"], van_id) == before
        activities = approver.call(
            "mail.activity",
            "search_read",
            [("res_model", "=", "isp.stock.count"), ("res_id", "=", count_id)],
            fields=["user_id"],
        )
        assert approver.uid in [a["user_id"][0] for a in activities]
        with pytest.raises(xmlrpc.client.Fault, match="waiting for approval"):
            store.call("isp.stock.count.line", "write", [line["id"]], {"counted_qty": before})
        with pytest.raises(xmlrpc.client.Fault, match="Only Inventory Approvers"):
            store.call("isp.stock.count", "action_approve", [count_id])
        # the approval fields change only through the engine, whatever the context says
        with pytest.raises(xmlrpc.client.Fault, match="change only when"):
            store.call(
                "isp.stock.count",
                "write",
                [count_id],
                {"isp_approval_state": "approved"},
                context={"isp_approval_engine": True},
            )
        assert _on_hand(store, ids["cable_tie"], van_id) == before
        assert (
            store.call("isp.stock.count", "read", [count_id], ["isp_approval_state"])[0][
                "isp_approval_state"
            ]
            == "to_approve"
        )

        assert approver.call("isp.stock.count", "action_approve", [count_id]) is True

        count = store.call("isp.stock.count", "read", [count_id], fields + ["name"])[0]
        assert count["state"] == "done"
        assert count["isp_approval_state"] == "approved"
        assert count["isp_approved_by_id"][0] == approver.uid
        assert _on_hand(store, ids["cable_tie"], van_id) == before - 5
        _assert_one_adjustment(store, count, ids["cable_tie"], 5.0, van_id)
    finally:
        admin.call(
            "res.company", "write", [company_id], {"isp_count_variance_threshold": threshold}
        )
        state = store.call("isp.stock.count", "read", [count_id], ["state"])[0]["state"]
        if state in ("draft", "counting", "to_approve"):
            store.call("isp.stock.count", "action_cancel", [count_id])


def test_blind_audit_hides_the_expected_quantities_until_submitted(store, john, approver, ids):
    """A surprise audit as the storekeeper counting John's van: no read path tells him
    what to expect (nor the variances, nor their value) until he submits what he counted;
    then the expected quantities show, the counted ones are final, and it applies."""
    count_id = _started_count(store, ids["john"], kind="audit")
    domain = [("count_id", "=", count_id)]
    try:
        lines = store.call(
            "isp.stock.count.line",
            "search_read",
            domain,
            fields=["expected_qty", "counted_qty", "variance_qty", "variance_value"],
        )
        assert lines
        assert {
            (
                line["expected_qty"],
                line["counted_qty"],
                line["variance_qty"],
                line["variance_value"],
            )
            for line in lines
        } == {(0, 0, 0, 0)}
        count = store.call(
            "isp.stock.count",
            "read",
            [count_id],
            ["is_blind", "variance_value", "variance_abs_value"],
        )[0]
        assert (count["is_blind"], count["variance_value"], count["variance_abs_value"]) == (
            True,
            0,
            0,
        )
        assert (
            store.call("isp.stock.count.line", "search", domain + [("expected_qty", ">", 0)]) == []
        )
        sums = store.call(
            "isp.stock.count.line",
            "formatted_read_group",
            domain,
            [],
            ["expected_qty:sum", "variance_qty:sum"],
        )
        assert (sums[0]["expected_qty:sum"], sums[0]["variance_qty:sum"]) == (0, 0)
        line_ids = [line["id"] for line in lines]
        refused = [
            ("read", [line_ids, ["snapshot_qty"]], {}),
            ("search_read", [domain], {"fields": ["snapshot_qty"]}),
            ("search", [domain + [("snapshot_qty", ">", 0)]], {}),
            ("search", [domain], {"order": "snapshot_qty desc"}),
            ("formatted_read_group", [domain, ["product_id"], ["snapshot_qty:sum"]], {}),
            ("read_group", [domain, ["snapshot_qty:sum"], ["product_id"]], {}),
            ("export_data", [line_ids, ["snapshot_qty"]], {}),
            ("web_search_read", [domain, {"snapshot_qty": {}}], {}),
        ]
        for client in (store, john):
            for method, args, kwargs in refused:
                # (export: the demo users may not export at all; refused either way)
                with pytest.raises(
                    xmlrpc.client.Fault, match="access the field|not allowed|rights to export"
                ):
                    client.call("isp.stock.count.line", method, *args, **kwargs)
        with pytest.raises(xmlrpc.client.Fault, match="blind audit: submit"):
            store.call("isp.stock.count", "action_apply", [count_id])
        with pytest.raises(xmlrpc.client.Fault, match="set by the system"):
            store.call("isp.stock.count", "write", [count_id], {"date_counted": "2030-01-01"})
        with pytest.raises(xmlrpc.client.Fault, match="cannot change once it is started"):
            store.call("isp.stock.count", "write", [count_id], {"kind": "monthly"})

        # the approver (not counting) reads the snapshot; the storekeeper counts it all
        snapshot = {
            line["id"]: line["snapshot_qty"]
            for line in approver.call(
                "isp.stock.count.line", "search_read", domain, fields=["snapshot_qty"]
            )
        }
        assert any(snapshot.values())
        for line_id, quantity in snapshot.items():
            store.call("isp.stock.count.line", "write", [line_id], {"counted_qty": quantity})
        assert store.call("isp.stock.count", "action_submit_count", [count_id]) is True

        shown = store.call(
            "isp.stock.count.line",
            "search_read",
            domain,
            fields=["expected_qty", "counted_qty", "variance_qty"],
        )
        assert {line["id"]: line["expected_qty"] for line in shown} == snapshot
        assert {line["variance_qty"] for line in shown} == {0}
        with pytest.raises(xmlrpc.client.Fault, match="submitted blind and are final"):
            store.call("isp.stock.count.line", "write", [line_ids[0]], {"counted_qty": 0})
        assert store.call("isp.stock.count", "action_apply", [count_id]) is True
        assert store.call("isp.stock.count", "read", [count_id], ["state"])[0]["state"] == "done"
    finally:
        state = store.call("isp.stock.count", "read", [count_id], ["state"])[0]["state"]
        if state != "done":
            store.call("isp.stock.count", "action_cancel", [count_id])
