"""The demo database `make run` serves: one ISP, Savannah Fibre Ltd, in KES, with a year
of history. Odoo only warns when demo data fails to load, so these checks make a broken
demo file fail the test command.

The other external tests work on the same database and add their own records (users,
warehouses, products, counts, a second company): the checks below look at what the
demo holds, i.e. what was made before its present-day count (`cutoff`)."""

from datetime import date, datetime, timedelta

import pytest

LOGINS = [
    "john",
    "mary",
    "peter",
    "grace",
    "ali",
    "fatuma",
    "store",
    "approver",
    "store_nairobi",
    "store_mombasa",
]
TECHNICIANS = LOGINS[:6]
# the approved loss reports of the year (isp_field_service demo history), at cost:
# 3 patch cords (155), 40 m of drop cable (23/m), an ONT (4,900), 6 fast connectors
# (115) and a power meter (12,300)
YEAR_LOSSES = -(3 * 155 + 40 * 23 + 4900 + 6 * 115 + 12300)  # -19,275 KES


@pytest.fixture(scope="module")
def admin(rpc):
    return rpc()


@pytest.fixture(scope="module")
def cutoff(admin):
    """When the demo's present day was loaded (its monthly count of Mary's van was
    applied): the demo's records are older."""
    count = admin.call(
        "isp.stock.count",
        "read",
        [admin.ref("isp_field_service.stock_count_mary_demo")],
        ["date_done"],
    )[0]
    return count["date_done"]


@pytest.fixture(scope="module")
def techs(admin):
    return {name: admin.ref(f"isp_inventory.tech_{name}_demo") for name in TECHNICIANS}


def test_regions_branches_and_main_warehouse(admin):
    regions = admin.call(
        "isp.region",
        "search_read",
        [
            (
                "id",
                "in",
                [
                    admin.ref("isp_inventory.region_nairobi_demo"),
                    admin.ref("isp_inventory.region_mombasa_demo"),
                ],
            )
        ],
        fields=["name", "warehouse_ids"],
    )
    by_name = {r["name"]: len(r["warehouse_ids"]) for r in regions}
    assert by_name == {"Nairobi": 3, "Mombasa": 1}
    main = admin.call(
        "stock.warehouse", "search_read", [("isp_is_main", "=", True)], fields=["name"]
    )
    assert [w["name"] for w in main] == ["Nairobi Main Warehouse"]


def test_one_kenyan_company_in_kes_for_every_isp_user(admin, rpc):
    company_id = admin.ref("base.main_company")
    company = admin.call(
        "res.company",
        "read",
        [company_id],
        ["name", "currency_id", "city", "country_id", "logo"],
    )[0]
    assert company["name"] == "Savannah Fibre Ltd"
    assert company["currency_id"][1] == "KES"
    assert company["city"] == "Nairobi" and company["country_id"][1] == "Kenya"
    assert company["logo"]
    users = admin.call(
        "res.users",
        "search_read",
        [("login", "in", [*LOGINS, "admin"])],
        fields=["login", "company_id", "company_ids"],
    )
    assert len(users) == len(LOGINS) + 1
    for user in users:
        assert user["company_id"][0] == company_id, user["login"]
        if user["login"] != "admin":  # tests may give the administrator more companies
            assert user["company_ids"] == [company_id], user["login"]
    # Odoo's other demo companies are archived, nobody keeps access to them
    others = admin.call(
        "res.company",
        "search_read",
        [("id", "!=", company_id), ("active", "in", [True, False])],
        fields=["name", "active", "user_ids"],
        context={"active_test": False},
    )
    odoo_demo = [c for c in others if c["name"] in ("My Company (Chicago)", "My US Company")]
    assert odoo_demo and not any(c["active"] for c in odoo_demo)
    # the storekeeper sees the ISP's warehouses only, priced in KES
    store = rpc("store", "store")
    names = {w["name"] for w in store.call("stock.warehouse", "search_read", [], fields=["name"])}
    assert {"Nairobi Main Warehouse", "Westlands Branch", "Embakasi Branch"} <= names
    assert not any("Chicago" in name or "San Francisco" in name for name in names)
    kpis = store.call("isp.kpi", "get_kpis")
    assert kpis["currency"] == "KES"


def test_odoo_samples_are_out_of_sight(admin):
    """What a new user meets is the ISP: Odoo's sample trade, projects, users, contacts,
    services and US dollars of the apps the addons bring are cancelled or archived."""
    open_pickings = admin.call(
        "stock.picking",
        "search_read",
        [("state", "not in", ("done", "cancel"))],
        fields=["name", "product_id"],
    )
    samples = [
        picking["name"]
        for picking in open_pickings
        if not admin.call(
            "stock.move",
            "search_count",
            [
                ("picking_id", "=", picking["id"]),
                ("product_id.categ_id.isp_item_class", "!=", False),
            ],
        )
    ]
    assert samples == []
    assert admin.call("sale.order", "search", [("state", "in", ("draft", "sent", "sale"))]) == []
    projects = admin.call("project.project", "search_read", [], fields=["name"])
    assert [project["name"] for project in projects] == ["Field Jobs"]
    logins = {
        user["login"] for user in admin.call("res.users", "search_read", [], fields=["login"])
    }
    assert not logins & {"demo", "portal"}
    partners = {p["name"] for p in admin.call("res.partner", "search_read", [], fields=["name"])}
    assert not partners & {"Acme Corporation", "Gemini Furniture", "Ready Mat", "Marc Demo"}
    assert "Huawei Technologies Kenya Ltd" in partners and "Wanjiku Kamau" in partners
    currencies = admin.call("res.currency", "search_read", [], fields=["name"])
    assert [currency["name"] for currency in currencies] == ["KES"]
    services = admin.call(
        "product.template",
        "search",
        [("type", "=", "service"), ("categ_id.isp_item_class", "=", False)],
    )
    assert services == []


def test_technicians_are_offered_the_isp_catalogue_only(admin, rpc, cutoff):
    john = rpc("john", "john")
    # the pickers of Request Items and of a loss report offer the ISP catalogue
    for model in ("isp.stock.request.wizard.line", "isp.loss.report.line"):
        field = john.call(model, "fields_get", ["product_id"], attributes=["domain"])
        assert "isp_item_class" in str(field["product_id"]["domain"]), model
    offered = john.call(
        "product.product",
        "name_search",
        "",
        [("is_storable", "=", True), ("isp_item_class", "!=", False)],
        limit=1000,
    )
    assert len(offered) >= 20  # the demo catalogue
    # the demo holds no other stocked product: Odoo's furniture is archived
    assert (
        admin.call(
            "product.product",
            "search_count",
            [
                ("is_storable", "=", True),
                ("isp_item_class", "=", False),
                ("create_date", "<", cutoff),
            ],
        )
        == 0
    )
    # and no stock of any in the ISP's screens
    rows = admin.call(
        "isp.stock.region.report", "search_read", [("item_class", "=", False)], fields=["lot_id"]
    )
    assert rows == []


def test_six_technicians_with_van_kit_template_and_stock(admin):
    technicians = admin.call(
        "isp.technician",
        "search_read",
        [("user_id.login", "in", TECHNICIANS)],
        fields=["vehicle_location_id", "kit_location_id", "kit_template_id", "stock_value"],
    )
    assert len(technicians) == 6
    for tech in technicians:
        assert tech["vehicle_location_id"] and tech["kit_location_id"]
        assert tech["kit_template_id"][1] == "Standard FTTH Kit"
        assert tech["stock_value"] > 0
        tools_in_kit = admin.call(
            "stock.quant",
            "search_count",
            [
                ("location_id", "=", tech["kit_location_id"][0]),
                ("product_id.isp_item_class", "=", "tool"),
                ("quantity", "=", 1),
            ],
        )
        assert tools_in_kit >= 2  # splicer, power meter, crimper (Grace's is reported stolen)


def test_vans_were_loaded_by_issues_not_adjustments(admin, techs, cutoff):
    """Opening stock came into the vans and kits as transfers from the branch: the first
    done move into each is an issue, never an inventory adjustment."""
    for name, tech in techs.items():
        info = admin.call(
            "isp.technician", "read", [tech], ["vehicle_location_id", "kit_location_id"]
        )[0]
        for location in (info["vehicle_location_id"][0], info["kit_location_id"][0]):
            first = admin.call(
                "stock.move",
                "search_read",
                [("state", "=", "done"), ("location_dest_id", "=", location)],
                fields=["is_inventory", "location_id", "date"],
                order="date, id",
                limit=1,
            )[0]
            assert not first["is_inventory"], name
            assert first["date"] < cutoff


def test_a_year_of_history(admin, techs, cutoff):
    today = datetime.strptime(cutoff[:10], "%Y-%m-%d").date()
    moves = admin.call(
        "stock.move",
        "search_read",
        [
            ("state", "=", "done"),
            ("product_id.isp_item_class", "!=", False),
            ("date", "<", cutoff),
        ],
        fields=["date"],
        order="date",
    )
    first = datetime.strptime(moves[0]["date"][:10], "%Y-%m-%d").date()
    last = datetime.strptime(moves[-1]["date"][:10], "%Y-%m-%d").date()
    assert (today - first).days >= 335  # more than 11 months
    assert (today - last).days <= 7
    jobs = admin.call(
        "project.task",
        "search_read",
        [("isp_technician_id", "in", list(techs.values())), ("isp_job_state", "=", "done")],
        fields=["isp_completed_date"],
    )
    months = {job["isp_completed_date"][:7] for job in jobs if job["isp_completed_date"] < cutoff}
    assert len(months) >= 12
    assert len(jobs) > 45
    # aging has every bucket, the movers a period that means something
    buckets = admin.call(
        "isp.stock.aging.report", "formatted_read_group", [], ["age_bucket"], ["__count"]
    )
    assert {group["age_bucket"] for group in buckets} == {"0_30", "31_90", "91_180", "over_180"}
    year_ago = (today - timedelta(days=365)).isoformat()
    kpis = admin.call("isp.kpi", "get_kpis", year_ago, (today - timedelta(days=1)).isoformat())
    assert kpis["jobs_completed"] > 40 and kpis["serials_installed"] > 25
    assert kpis["counts_done"] >= 10 and 0 < kpis["count_accuracy"] < 100
    assert kpis["issue_fill_rate"] > 90
    assert kpis["loss_value"] == pytest.approx(YEAR_LOSSES)
    assert kpis["loss_count"] == 5


def test_every_done_installation_installed_a_serial(admin, techs):
    installations = [
        admin.ref("isp_field_service.job_type_ftth_installation"),
        admin.ref("isp_field_service.job_type_wireless_installation"),
    ]
    jobs = admin.call(
        "project.task",
        "search_read",
        [
            ("isp_technician_id", "in", list(techs.values())),
            ("isp_job_type_id", "in", installations),
            ("isp_job_state", "=", "done"),
        ],
        fields=["name"],
    )
    assert len(jobs) >= 25
    # each one moved a serial to its customer (a unit taken back later, e.g. swapped as
    # faulty, is no longer on the job's current install record, but it was installed)
    lines = admin.call(
        "stock.move.line",
        "search_read",
        [
            ("move_id.isp_task_id", "in", [job["id"] for job in jobs]),
            ("state", "=", "done"),
            ("lot_id", "!=", False),
            ("location_dest_id.usage", "=", "customer"),
        ],
        fields=["move_id"],
    )
    moves = admin.call(
        "stock.move", "read", list({line["move_id"][0] for line in lines}), ["isp_task_id"]
    )
    installed_by_job = {move["isp_task_id"][0] for move in moves}
    assert [job["name"] for job in jobs if job["id"] not in installed_by_job] == []
    # the install record of what is installed names the customer, job, installer, GPS
    installed = admin.call(
        "stock.lot",
        "search_read",
        [("isp_state", "=", "installed"), ("isp_installed_by_id", "in", list(techs.values()))],
        fields=["isp_customer_id", "isp_task_id", "isp_latitude", "isp_longitude"],
    )
    assert len(installed) > 20
    for lot in installed:
        assert lot["isp_customer_id"] and lot["isp_task_id"]
        assert lot["isp_latitude"] and lot["isp_longitude"]


def test_demo_records_are_made_by_the_demo_people(admin, techs, cutoff):
    """Losses are reported by the technicians, approved by the approver; counts are
    made by the storekeeper; requests by the technicians or the storekeeper: never by
    OdooBot."""
    odoobot = admin.ref("base.user_root")
    people = set(admin.call("res.users", "search", [("login", "in", LOGINS)]))
    reports = admin.call(
        "isp.loss.report",
        "search_read",
        [("technician_id", "in", list(techs.values()))],
        fields=["reporter_id", "create_uid", "isp_approved_by_id", "technician_id", "state"],
    )
    assert len(reports) >= 6
    for report in reports:
        assert report["reporter_id"][0] == report["create_uid"][0] != odoobot
    done = [r for r in reports if r["state"] == "done"]
    approver = admin.ref("isp_inventory.user_approver_omondi_demo")
    assert done and all(r["isp_approved_by_id"][0] == approver for r in done)
    counts = admin.call(
        "isp.stock.count",
        "search_read",
        [("technician_id", "in", list(techs.values())), ("create_date", "<=", cutoff)],
        fields=["create_uid", "counted_by_id", "isp_approved_by_id"],
    )
    assert len(counts) >= 10
    for count in counts:
        assert count["create_uid"][0] in people and count["counted_by_id"][0] in people
        assert not count["isp_approved_by_id"] or count["isp_approved_by_id"][0] == approver
    requests = admin.call(
        "stock.picking",
        "search_read",
        [("isp_requested_by_id", "!=", False), ("create_date", "<=", cutoff)],
        fields=["isp_requested_by_id", "create_uid", "isp_approved_by_id"],
    )
    assert len(requests) >= 20
    for request in requests:
        assert request["isp_requested_by_id"][0] in people
        assert request["create_uid"][0] != odoobot
        assert not request["isp_approved_by_id"] or request["isp_approved_by_id"][0] == approver


def test_loss_and_variance_totals_leave_opening_balances_out(admin, techs, cutoff):
    """The year's loss and variance report holds losses and count variances only (the
    vans' opening stock came as issues and is no loss); losses are negative."""
    rows = admin.call(
        "isp.loss.variance.report",
        "formatted_read_group",
        [("technician_id", "in", list(techs.values())), ("date", "<", cutoff)],
        ["kind"],
        ["value:sum", "quantity:sum", "__count"],
    )
    totals = {group["kind"]: group["value:sum"] for group in rows}
    assert set(totals) == {"loss", "count_variance"}
    assert totals["loss"] == pytest.approx(YEAR_LOSSES)
    counts = admin.call(
        "isp.stock.count",
        "search_read",
        [
            ("technician_id", "in", list(techs.values())),
            ("state", "=", "done"),
            ("date_done", "<", cutoff),
        ],
        fields=["variance_value"],
    )
    assert totals["count_variance"] == pytest.approx(sum(c["variance_value"] for c in counts))
    assert totals["count_variance"] < 0  # an ONT missing at a count outweighs what was found


def test_lifecycle_and_approval_examples(admin):
    """Installed CPE, a faulty return in quarantine, units returned to the vendor and
    disposed of, a submitted loss report and an issuance waiting for approval."""
    installed = admin.call(
        "stock.lot",
        "search_read",
        [("isp_state", "=", "installed"), ("isp_customer_id", "!=", False)],
        fields=["isp_installed_by_id", "isp_latitude"],
    )
    assert len(installed) >= 3
    assert all(lot["isp_installed_by_id"] for lot in installed)
    faulty = admin.call(
        "stock.lot",
        "search_read",
        [("isp_state", "=", "faulty"), ("location_id.isp_role", "=", "quarantine")],
        fields=["name"],
    )
    assert "HWTC4A00026" in [lot["name"] for lot in faulty]
    states = {
        group["isp_state"]
        for group in admin.call("stock.lot", "formatted_read_group", [], ["isp_state"], ["__count"])
    }
    assert {"installed", "with_technician", "in_stock", "faulty", "rma", "disposed"} <= states
    assert admin.call("isp.loss.report", "search_count", [("state", "=", "submitted")]) >= 1
    assert (
        admin.call("stock.picking", "search_count", [("isp_approval_state", "=", "to_approve")])
        >= 1
    )


def test_charged_losses(admin, techs):
    """The approver charged two of the year's losses back (issue 12 point 2): John's
    three patch cords in full, Ali's stolen ONT at the 50 % policy; each posted one
    journal entry on the demo's charge-back accounts, the technician as partner."""
    company = admin.call(
        "res.company",
        "read",
        [admin.ref("base.main_company")],
        ["isp_charge_percent", "isp_charge_receivable_account_id", "isp_charge_loss_account_id"],
    )[0]
    assert company["isp_charge_percent"] == 50.0
    receivable = company["isp_charge_receivable_account_id"][0]
    assert receivable == admin.ref("isp_inventory.account_isp_charge_receivable_demo")
    charges = admin.call(
        "isp.loss.charge",
        "search_read",
        [],
        fields=["technician_id", "decision", "amount", "state", "move_id", "report_id"],
        order="id",
    )
    by_tech = {charge["technician_id"][0]: charge for charge in charges}
    assert by_tech[techs["john"]]["decision"] == "full"
    assert by_tech[techs["john"]]["amount"] == pytest.approx(3 * 155)
    assert by_tech[techs["ali"]]["decision"] == "percent"
    assert by_tech[techs["ali"]]["amount"] == pytest.approx(4900 / 2)
    for charge in (by_tech[techs["john"]], by_tech[techs["ali"]]):
        assert charge["state"] == "posted"
        report = admin.call(
            "isp.loss.report",
            "read",
            [charge["report_id"][0]],
            ["state", "isp_charge_decision", "isp_charge_decided_by_id"],
        )[0]
        assert report["state"] == "done"
        assert (
            report["isp_charge_decided_by_id"][0]
            == admin.call("res.users", "search", [("login", "=", "approver")])[0]
        )
        lines = admin.call(
            "account.move.line",
            "search_read",
            [("move_id", "=", charge["move_id"][0]), ("account_id", "=", receivable)],
            fields=["debit", "parent_state", "partner_id"],
        )
        assert [line["debit"] for line in lines] == [pytest.approx(charge["amount"])]
        assert lines[0]["parent_state"] == "posted"
    technician = admin.call("isp.technician", "read", [techs["ali"]], ["charge_total"])[0]
    assert technician["charge_total"] == pytest.approx(2450)


def test_demo_technician_can_sign_in(rpc):
    john = rpc("john", "john")
    assert john.uid


def test_stock_count_examples(admin):
    done = admin.call(
        "isp.stock.count",
        "read",
        [admin.ref("isp_field_service.stock_count_mary_demo")],
        ["state", "kind", "variance_value", "move_ids", "line_ids"],
    )[0]
    assert (done["state"], done["kind"]) == ("done", "monthly")
    assert done["variance_value"] != 0 and len(done["move_ids"]) == 2
    reasons = admin.call(
        "isp.stock.count.line",
        "search_read",
        [
            ("count_id", "=", admin.ref("isp_field_service.stock_count_mary_demo")),
            ("variance_qty", "!=", 0),
        ],
        fields=["reason"],
    )
    assert sorted(r["reason"] for r in reasons) == ["found", "unrecorded_use"]
    audit = admin.call(
        "isp.stock.count",
        "read",
        [admin.ref("isp_field_service.stock_count_peter_audit_demo")],
        ["state", "kind", "line_ids"],
    )[0]
    assert (audit["state"], audit["kind"]) == ("counting", "audit") and audit["line_ids"]
    branch_stock = admin.call(
        "stock.warehouse",
        "read",
        [admin.ref("isp_inventory.branch_westlands_demo")],
        ["lot_stock_id"],
    )[0]["lot_stock_id"][0]
    frequency = admin.call(
        "stock.location", "read", [branch_stock], ["cyclic_inventory_frequency"]
    )[0]["cyclic_inventory_frequency"]
    assert frequency == 30


def test_dates_are_spread_for_aging(admin):
    """No more 'every demo date is today': the serials in the main warehouse were
    received over the year."""
    main_stock = admin.call(
        "stock.warehouse", "read", [admin.ref("stock.warehouse0")], ["lot_stock_id"]
    )[0]["lot_stock_id"][0]
    quants = admin.call(
        "stock.quant",
        "search_read",
        [("location_id", "=", main_stock), ("quantity", ">", 0)],
        fields=["in_date"],
    )
    days = {quant["in_date"][:10] for quant in quants}
    assert len(days) >= 3
    assert min(days) <= (date.today() - timedelta(days=300)).isoformat()


def test_office_people_start_their_day_on_their_queue(admin):
    """The demo storekeeper lands on the requests to pick, the approver on the issuances
    to approve, the technicians on My Jobs, the administrator on the technicians (none
    on Discuss)."""
    users = admin.call(
        "res.users",
        "search_read",
        [("login", "in", ["admin", "store", "approver", "john"])],
        ["login", "action_id"],
    )
    home = {user["login"]: user["action_id"] and user["action_id"][0] for user in users}
    assert home == {
        "admin": admin.ref("isp_inventory.isp_technician_action"),
        "store": admin.ref("isp_inventory.stock_picking_action_isp_to_pick"),
        "approver": admin.ref("isp_inventory.stock_picking_action_isp_to_approve"),
        "john": admin.ref("isp_field_service.project_task_action_my_isp_jobs"),
    }


def test_churned_onts_refurbished(admin):
    """Issue 12 point 3 in the demo: three ONTs taken back from churned customers into
    their branch's refurbishment location, one graded A (back in stock, reissuable), one
    C (in repair), one waiting; Savannah Fibre issues refurbished units first."""
    refurbishments = admin.call(
        "isp.refurbishment", "search_read", [], fields=["lot_id", "state", "grade"], order="id"
    )
    demo = [r for r in refurbishments if r["lot_id"][1].startswith("HWTC")]
    assert [(r["state"], r["grade"]) for r in demo[:3]] == [
        ("done", "a"),
        ("done", "c"),
        ("pending", False),
    ]
    lots = admin.call(
        "stock.lot",
        "read",
        [r["lot_id"][0] for r in demo[:3]],
        ["isp_state", "isp_refurb_count", "isp_refurb_grade"],
    )
    assert [
        (lot["isp_state"], lot["isp_refurb_count"], lot["isp_refurb_grade"]) for lot in lots
    ] == [
        ("in_stock", 1, "a"),
        ("in_repair", 0, "c"),
        ("refurbishment", 0, False),
    ]
    company = admin.call(
        "res.company",
        "search_read",
        [("name", "=", "Savannah Fibre Ltd")],
        fields=["isp_issue_preference"],
    )
    assert company[0]["isp_issue_preference"] == "refurbished"
    report = admin.call(
        "isp.refurbishment.report",
        "formatted_read_group",
        [],
        [],
        ["graded_count:sum", "yield_percent:avg"],
    )
    assert report[0]["graded_count:sum"] >= 2
