"""Fixtures for the external tests: a real Odoo server on the test database, real
XML-RPC clients and a real headless Chromium.

The server is started once per session on a free port, against the database that
pytest-odoo was given (`--odoo-database`), after the addon tests have run.
"""

import concurrent.futures
import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import uuid
import xmlrpc.client
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
ODOO_BIN = ROOT / ".cache/odoo/usr/bin/odoo"
OUTPUT = ROOT / "test-output"
ADMIN_PASSWORD = "admin"


_PORTS_GIVEN = set()


def _free_port():
    """A free port on 127.0.0.1: the system's choice, or one of ISP_TEST_PORTS (e.g.
    "8300-8399", on a machine whose other users keep to other ports), never the same one
    twice in a session (a server may not have bound the last one yet)."""
    span = os.environ.get("ISP_TEST_PORTS")
    if span:
        low, high = (int(end) for end in span.split("-"))
        candidates = [port for port in range(low, high + 1) if port not in _PORTS_GIVEN]
    else:
        candidates = [0]
    for candidate in candidates:
        with contextlib.closing(socket.socket()) as sock:
            try:
                sock.bind(("127.0.0.1", candidate))
            except OSError:
                continue
            port = sock.getsockname()[1]
        _PORTS_GIVEN.add(port)
        return port
    raise RuntimeError(f"no free port in ISP_TEST_PORTS={span}")


@pytest.fixture(scope="session")
def odoo_db(request):
    return request.config.getoption("--odoo-database")


def _serve(request, odoo_db, log_name, *extra_args):
    """Start an Odoo server on the test database and a free port; yield its base URL,
    stop it afterwards. `extra_args` are more command-line options."""
    OUTPUT.mkdir(exist_ok=True)
    port = _free_port()
    log = open(OUTPUT / log_name, "w")  # noqa: SIM115 (closed at teardown)
    server = subprocess.Popen(
        [
            sys.executable,
            str(ODOO_BIN),
            "-c",
            request.config.getoption("--odoo-config"),
            "-d",
            odoo_db,
            "--db-filter",
            f"^{odoo_db}$",
            "--http-port",
            str(port),
            "--max-cron-threads",
            "0",
            *extra_args,
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=dict(os.environ, PYTHONUNBUFFERED="1"),
    )
    url = f"http://127.0.0.1:{port}"
    # The first request builds the web assets: slow on a busy 2-core machine.
    deadline = time.monotonic() + 300
    while True:
        if server.poll() is not None:
            log.close()
            raise RuntimeError(f"Odoo server exited; see {OUTPUT / log_name}")
        try:
            if requests.get(f"{url}/web/login", timeout=60).status_code == 200:
                break
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            server.kill()
            log.close()
            raise RuntimeError("Odoo server did not answer within 300 s")
        time.sleep(0.5)
    yield url
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
    log.close()


@pytest.fixture(scope="session")
def odoo_url(request, odoo_db):
    """Base URL of a running Odoo server (started here, stopped at the end)."""
    yield from _serve(request, odoo_db, "odoo-server.log", "--workers", "0")


@pytest.fixture(scope="session")
def odoo_workers_url(request, odoo_db):
    """Base URL of a second, multi-process Odoo server on the test database (two HTTP
    workers, so two requests really run at once, each in its own transaction, as in
    production). Its long-polling port is a free one too (several may run side by side)."""
    yield from _serve(
        request,
        odoo_db,
        "odoo-workers-server.log",
        "--workers",
        "2",
        "--gevent-port",
        str(_free_port()),
    )


class RpcClient:
    """A user's XML-RPC session: `client.call("model", "method", *args, **kwargs)`."""

    def __init__(self, url, db, login, password):
        self.db, self.password = db, password
        common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common", allow_none=True)
        self.uid = common.authenticate(db, login, password, {})
        if not self.uid:
            raise PermissionError(f"cannot log in as {login}")
        self.models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)

    def call(self, model, method, *args, **kwargs):
        return self.models.execute_kw(
            self.db, self.uid, self.password, model, method, list(args), kwargs
        )

    def ref(self, xmlid):
        """Database id of the record with this XML id ("module.name")."""
        module, name = xmlid.split(".")
        data = self.call(
            "ir.model.data",
            "search_read",
            [("module", "=", module), ("name", "=", name)],
            fields=["res_id"],
        )
        assert data, f"no record {xmlid}"
        return data[0]["res_id"]


@pytest.fixture(scope="session")
def rpc(odoo_url, odoo_db):
    """Factory: rpc(login, password) -> RpcClient; rpc() is the administrator."""

    def connect(login="admin", password=ADMIN_PASSWORD):
        return RpcClient(odoo_url, odoo_db, login, password)

    return connect


@pytest.fixture(scope="session")
def rpc_workers(odoo_workers_url, odoo_db):
    """As `rpc`, against the multi-process server (`odoo_workers_url`)."""

    def connect(login="admin", password=ADMIN_PASSWORD):
        return RpcClient(odoo_workers_url, odoo_db, login, password)

    return connect


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright (no browser download)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


def new_phone_technician(admin, tag):
    """A technician user (login = password) with a branch of their own; returns
    (login, technician id, van location id, the branch's receipt operation type id)."""
    login = f"phone_tech_{tag}"
    user = admin.call(
        "res.users",
        "create",
        {
            "name": f"Phone Tech {tag}",
            "login": login,
            "password": login,
            "odoobot_state": "disabled",  # no OdooBot chat window over the phone screen
            "group_ids": [(6, 0, [admin.ref("isp_inventory.group_isp_technician")])],
        },
    )
    branch = admin.call(
        "stock.warehouse", "create", {"name": f"Phone Branch {tag}", "code": f"P{tag[:4]}"}
    )
    tech = admin.call("isp.technician", "create", {"user_id": user, "warehouse_id": branch})
    van = admin.call("isp.technician", "read", [tech], ["vehicle_location_id"])[0][
        "vehicle_location_id"
    ][0]
    receipt_type = admin.call("stock.warehouse", "read", [branch], ["in_type_id"])[0]
    return login, tech, van, receipt_type["in_type_id"][0]


def new_product(admin, name, item_class, **vals):
    """A product of an ISP item class (cpe, network, tool, consumable, ...)."""
    categ = admin.ref(f"isp_inventory.product_category_{item_class}")
    return admin.call("product.product", "create", dict(vals, name=name, categ_id=categ))


def open_job(admin, technician, customer, name="Service call"):
    """An open field job of `technician` at `customer`: a technician takes equipment
    back from a customer, or swaps it, only on such a job. Returns the task id."""
    return admin.call(
        "project.task",
        "create",
        {
            "name": name,
            "project_id": admin.ref("isp_field_service.project_field_jobs"),
            "isp_technician_id": technician,
            "partner_id": customer,
        },
    )


def receive(admin, picking_type, location, lines):
    """Receive `lines` [(product id, quantity, lot id or False)] from the vendor straight
    into `location` in one validated receipt of `picking_type`; returns its id."""
    supplier = admin.ref("stock.stock_location_suppliers")
    moves = [
        (
            0,
            0,
            {
                "product_id": product,
                "product_uom_qty": quantity,
                "location_id": supplier,
                "location_dest_id": location,
                "move_line_ids": [
                    (
                        0,
                        0,
                        {
                            "product_id": product,
                            "quantity": quantity,
                            "lot_id": lot,
                            "location_id": supplier,
                            "location_dest_id": location,
                        },
                    )
                ],
                "picked": True,
            },
        )
        for product, quantity, lot in lines
    ]
    picking = admin.call(
        "stock.picking",
        "create",
        {
            "picking_type_id": picking_type,
            "location_id": supplier,
            "location_dest_id": location,
            "move_ids": moves,
        },
    )
    admin.call("stock.picking", "button_validate", [picking])
    return picking


PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1366, "height": 900}}


def quiet_odoobot(admin, login):
    """OdooBot greets a user at first sign-in with a chat that covers a phone's screen:
    switch it off for a demo user before driving the phone as them."""
    users = admin.call("res.users", "search", [("login", "=", login)])
    admin.call("res.users", "write", users, {"odoobot_state": "disabled"})


def signed_in_page(browser, odoo_url, odoo_db, login, password=None, device=PHONE, **context):
    """A page signed in as `login` (password = login unless given) on a 390 px touch
    phone (or `device=DESKTOP`); `context` adds Playwright context options
    (geolocation, permissions...). Close the page's context when done."""
    page = browser.new_context(**device, **context).new_page()
    page.goto(f"{odoo_url}/web/login?db={odoo_db}")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", password or login)
    page.click("button[type=submit]")
    page.wait_for_selector(".o_main_navbar", timeout=60_000)
    return page


def pick_in_dialog(page, field, text):
    """Choose `text` in a many2one of the open dialog. On a phone the field is read-only
    and opens a search dialog (whose search box sits behind a magnifier); the record is
    picked from its list, searched for first when it is not shown yet."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import expect

    page.locator(f".modal div[name={field}] input").first.click()
    choice = page.locator(".modal .o_kanban_record:visible", has_text=text).first
    try:
        choice.wait_for(timeout=5_000)
    except PlaywrightTimeout:
        page.locator(".modal button:has(> i.fa-search)").last.click()
        search = page.locator(".modal .o_searchview_input").last
        search.fill(text)
        page.locator(".o_searchview_autocomplete").last.wait_for(timeout=30_000)
        search.press("Enter")
        page.locator(".modal .o_searchview_facet").last.wait_for(timeout=30_000)
        choice.wait_for(timeout=30_000)
    choice.click()
    expect(page.locator(f".modal div[name={field}] input").first).to_have_value(
        re.compile(re.escape(text)), timeout=30_000
    )


def web_menus(odoo_url, odoo_db, login):
    """{xmlid: menu} of the menus the web client loads for this user (password = login)."""
    session = requests.Session()
    session.post(
        f"{odoo_url}/web/session/authenticate",
        json={"params": {"db": odoo_db, "login": login, "password": login}},
        timeout=60,
    ).raise_for_status()
    menus = session.get(f"{odoo_url}/web/webclient/load_menus", timeout=60).json()
    return {menu["xmlid"]: menu for menu in menus.values()}


# ----------------------------------------------------------------------------------
# Security matrix (tests/test_security_*.py, docs/SECURITY.md): one world per session
# ----------------------------------------------------------------------------------
# /xmlrpc/2 fault codes (odoo/addons/rpc/controllers/xmlrpc.py): a refusal is a
# UserError/ValidationError/MissingError (2) or an AccessError (4); 1 is a crash.
FAULT_USER_ERROR, FAULT_ACCESS_ERROR = 2, 4
SECURITY_ROLES = {
    # role: groups (xml ids) of a fresh user whose login and password are "<role>_<tag>";
    # internal users may also export (base.group_allow_export), so that the export cells
    # test the record rules, not Odoo's export right
    "technician": ["base.group_user", "isp_inventory.group_isp_technician"],
    "colleague": ["base.group_user", "isp_inventory.group_isp_technician"],
    "storekeeper": ["base.group_user", "isp_inventory.group_isp_storekeeper"],
    "approver": ["base.group_user", "isp_inventory.group_isp_approver"],
    "approver_tech": [
        "base.group_user",
        "isp_inventory.group_isp_approver",
        "isp_inventory.group_isp_technician",
    ],
    "manager": ["base.group_user", "isp_inventory.group_isp_manager"],
    "inventory_admin": ["base.group_user", "stock.group_stock_manager"],
    "internal": ["base.group_user"],
    "portal": ["base.group_portal"],
}


def jsonrpc(url, client, model, method, *args, **kwargs):
    """execute_kw over /jsonrpc as `client`'s user (JSON carries None, XML-RPC does not):
    (result, None), or (None, the exception's name, e.g. "odoo.exceptions.AccessError")."""
    response = requests.post(
        f"{url}/jsonrpc",
        json={
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {
                "service": "object",
                "method": "execute_kw",
                "args": [client.db, client.uid, client.password, model, method, list(args), kwargs],
            },
        },
        timeout=120,
    ).json()
    if "error" in response:
        return None, response["error"]["data"]["name"]
    return response.get("result"), None  # Odoo leaves "result" out when it is None


def _security_users(admin, rpc, tag):
    clients, uids = {}, {}
    for role, groups in SECURITY_ROLES.items():
        login = f"{role}_{tag}"
        if role != "portal":
            groups = [*groups, "base.group_allow_export"]
        uids[role] = admin.call(
            "res.users",
            "create",
            {
                "name": f"Matrix {role} {tag}",
                "login": login,
                "password": login,
                "group_ids": [(6, 0, [admin.ref(group) for group in groups])],
            },
        )
        clients[role] = rpc(login, login)
    return clients, uids


@pytest.fixture(scope="session")
def security_world(rpc, odoo_url):
    """Every role as a fresh user (see SECURITY_ROLES) plus, in a branch of their own:
    technicians "technician" (A), "colleague" (B) and "approver_tech" with vans and kits;
    stock in both vans and the branch (patch cords, serial ONTs); a serial B installed at
    B's customer; open jobs of A and B, a completed job of A, another task; loss reports
    (A's draft, B's draft, B's submitted); a count of B's van; confirmed requests of A
    and B; controlled issuances waiting for approval. Tests that change something make
    their own records; refusals are checked against `security_snapshot`."""
    admin = rpc()
    tag = uuid.uuid4().hex[:6]
    clients, uids = _security_users(admin, rpc, tag)
    branch = admin.call(
        "stock.warehouse", "create", {"name": f"Matrix Branch {tag}", "code": f"M{tag[:4]}"}
    )
    types = admin.call(
        "stock.warehouse", "read", [branch], ["lot_stock_id", "in_type_id", "int_type_id"]
    )[0]
    stock = types["lot_stock_id"][0]
    techs, vans, kits = {}, {}, {}
    for role in ("technician", "colleague", "approver_tech"):
        techs[role] = admin.call(
            "isp.technician", "create", {"user_id": uids[role], "warehouse_id": branch}
        )
        locations = admin.call(
            "isp.technician", "read", [techs[role]], ["vehicle_location_id", "kit_location_id"]
        )[0]
        vans[role] = locations["vehicle_location_id"][0]
        kits[role] = locations["kit_location_id"][0]
    cord = new_product(admin, f"Matrix Cord {tag}", "consumable", standard_price=1.5)
    ont = new_product(admin, f"Matrix ONT {tag}", "cpe", standard_price=45.0, tracking="serial")
    lots = {
        name: admin.call("stock.lot", "create", {"name": f"MX-{name}-{tag}", "product_id": ont})
        for name in ("a1", "a2", "b1", "b_installed", "store1", "store2", "apt1")
    }
    receipt = types["in_type_id"][0]
    receive(
        admin,
        receipt,
        vans["technician"],
        [(cord, 10, False)] + [(ont, 1, lots["a1"]), (ont, 1, lots["a2"])],
    )
    receive(
        admin,
        receipt,
        vans["colleague"],
        [(cord, 10, False)] + [(ont, 1, lots["b1"]), (ont, 1, lots["b_installed"])],
    )
    receive(
        admin,
        receipt,
        stock,
        [(cord, 50, False)]
        + [(ont, 1, lots["store1"]), (ont, 1, lots["store2"]), (ont, 1, lots["apt1"])],
    )
    receive(admin, receipt, vans["approver_tech"], [(cord, 5, False)])
    customers = {
        role: admin.call("res.partner", "create", {"name": f"Matrix Customer {role} {tag}"})
        for role in ("technician", "colleague")
    }
    admin.call(
        "stock.lot",
        "action_isp_install",
        [lots["b_installed"]],
        techs["colleague"],
        customers["colleague"],
    )
    project = admin.ref("isp_field_service.project_field_jobs")

    def job(role, name):
        return admin.call(
            "project.task",
            "create",
            {
                "name": f"Matrix {name} {tag}",
                "project_id": project,
                "isp_technician_id": techs[role],
                "partner_id": customers[role],
            },
        )

    jobs = {
        "a_open": job("technician", "A open"),
        "a_done": job("technician", "A done"),
        "b_open": job("colleague", "B open"),
    }
    admin.call(
        "project.task",
        "action_isp_complete",
        [jobs["a_done"]],
        {"lines": [{"product_id": cord, "qty_used": 1}]},
    )

    def loss(role, submit=False):
        client = clients[role]
        report = client.call(
            "isp.loss.report",
            "create",
            {
                "technician_id": techs[role],
                "loss_type": "lost",
                "description": f"Matrix loss of {role}",
                "line_ids": [(0, 0, {"product_id": cord, "quantity": 1})],
            },
        )
        if submit:
            client.call("isp.loss.report", "action_submit", [report])
        return report

    losses = {
        "a_draft": loss("technician"),
        "b_draft": loss("colleague"),
        "b_submitted": loss("colleague", submit=True),
    }
    count_b = clients["storekeeper"].call(
        "isp.stock.count", "create", {"technician_id": techs["colleague"], "kind": "audit"}
    )

    def request(role, product):
        """The technician's own request into his van (the ISP operation), reserved by
        the storekeeper."""
        client = clients[role]
        wizard = client.call(
            "isp.stock.request.wizard",
            "create",
            {
                "technician_id": techs[role],
                "line_ids": [(0, 0, {"product_id": product, "quantity": 1})],
            },
        )
        picking = client.call("isp.stock.request.wizard", "action_confirm", [wizard])["res_id"]
        clients["storekeeper"].call("stock.picking", "action_confirm", [picking])
        return picking

    pickings = {
        "a_request": request("technician", cord),
        "b_request": request("colleague", cord),
    }
    return {
        "admin": admin,
        "url": odoo_url,
        "tag": tag,
        "clients": clients,
        "uids": uids,
        "branch": branch,
        "company": admin.call("stock.warehouse", "read", [branch], ["company_id"])[0]["company_id"][
            0
        ],
        "stock": stock,
        "int_type": types["int_type_id"][0],
        "receipt_type": receipt,
        "techs": techs,
        "vans": vans,
        "kits": kits,
        "cord": cord,
        "ont": ont,
        "lots": lots,
        "customers": customers,
        "project": project,
        "jobs": jobs,
        "losses": losses,
        "count_b": count_b,
        "pickings": pickings,
    }


def security_snapshot(world, *extra):
    """What a refused call must not change, read as the administrator: every quant of
    the world's products, the world's transfers, serials, jobs, loss reports and count,
    the number of transfers, moves, move lines, serials, scraps, loss reports, jobs,
    technicians, regions and kit templates; `extra` are (model, ids, fields) triples to
    read as well. The reads run side by side (the test server is threaded)."""
    products = [world["cord"], world["ont"]]
    calls = [
        (
            "stock.quant",
            "search_read",
            [[("product_id", "in", products)]],
            {
                "fields": [
                    "location_id",
                    "product_id",
                    "lot_id",
                    "quantity",
                    "inventory_quantity",
                    "inventory_quantity_set",
                ],
                "order": "id",
            },
        )
    ]
    reads = [
        (
            "stock.picking",
            list(world["pickings"].values()),
            [
                "state",
                "isp_approval_state",
                "location_id",
                "location_dest_id",
                "isp_requested_by_id",
                "move_ids",
            ],
        ),
        (
            "stock.lot",
            list(world["lots"].values()),
            ["name", "product_id", "isp_state", "isp_customer_id", "isp_installed_by_id"],
        ),
        (
            "project.task",
            list(world["jobs"].values()),
            [
                "name",
                "active",
                "isp_job_state",
                "isp_technician_id",
                "user_ids",
                "message_partner_ids",
            ],
        ),
        (
            "isp.loss.report",
            list(world["losses"].values()),
            ["state", "technician_id", "reporter_id", "line_ids", "description"],
        ),
        ("isp.stock.count", [world["count_b"]], ["state", "technician_id", "line_ids"]),
        *extra,
    ]
    calls += [
        (model, "read", [ids, fields], {"context": {"active_test": False}})
        for model, ids, fields in reads
    ]
    calls += [
        (model, "search_count", [domain], {})
        for model, domain in (
            ("stock.picking", []),
            ("stock.move", [("product_id", "in", products)]),
            ("stock.move.line", [("product_id", "in", products)]),
            ("stock.scrap", []),
            ("stock.lot", [("product_id", "in", products)]),
            ("isp.loss.report", []),
            ("project.task", []),
            ("isp.technician", []),
            ("isp.region", []),
            ("isp.kit.template", []),
        )
    ]
    admin = world["admin"]

    def run(call):
        model, method, args, kwargs = call
        proxy = xmlrpc.client.ServerProxy(f"{world['url']}/xmlrpc/2/object", allow_none=True)
        return proxy.execute_kw(admin.db, admin.uid, admin.password, model, method, args, kwargs)

    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(run, calls))


@contextlib.contextmanager
def refused(world, *extra, access=False, match=None):
    """`with refused(world): client.call(...)` expects the call to be refused (an
    AccessError when `access`, else any UserError/ValidationError/AccessError, whose
    text matches `match` if given) and then proves, as the administrator, that nothing
    of `security_snapshot(world, *extra)` changed."""
    before = security_snapshot(world, *extra)
    with pytest.raises(xmlrpc.client.Fault) as fault:
        yield
    codes = (FAULT_ACCESS_ERROR,) if access else (FAULT_USER_ERROR, FAULT_ACCESS_ERROR)
    assert fault.value.faultCode in codes, fault.value.faultString
    if match:
        assert re.search(match, fault.value.faultString), fault.value.faultString
    assert security_snapshot(world, *extra) == before
