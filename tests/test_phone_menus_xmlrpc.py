"""A technician's web client (his phone) offers the Field Service app only: not the
apps Odoo gives every internal user (Discuss, To-do, Maintenance, Dashboards, Apps).
Office users keep theirs."""

from conftest import web_menus


def _apps(menus):
    """The xml ids of the apps (the root menu's children) of a user's web client."""
    return {menu["xmlid"] for menu in menus.values() if menu["id"] in menus[""]["children"]}


def test_technician_sees_the_field_service_app_only(odoo_url, odoo_db):
    for login in ("john", "ali"):
        menus = web_menus(odoo_url, odoo_db, login)
        assert _apps(menus) == {"isp_field_service.isp_field_service_menu_root"}, login
        for xmlid in ("mail.menu_root_discuss", "base.menu_management", "stock.menu_stock_root"):
            assert xmlid not in menus, (login, xmlid)
        # his screens are all there
        for xmlid in (
            "isp_field_service.project_task_menu_my_isp_jobs",
            "isp_field_service.stock_quant_menu_isp_my_stock",
            "isp_field_service.isp_stock_request_wizard_menu",
        ):
            assert xmlid in menus, (login, xmlid)


def test_office_users_keep_their_apps(odoo_url, odoo_db):
    for login in ("store", "approver"):
        apps = _apps(web_menus(odoo_url, odoo_db, login))
        assert {"stock.menu_stock_root", "mail.menu_root_discuss"} <= apps, (login, apps)


def test_no_odoobot_onboarding_over_the_technicians_phone(rpc):
    """OdooBot's onboarding chat would open full-screen at a technician's first
    sign-in: it is off for technicians (mail_bot comes with Discuss)."""
    admin = rpc()
    users = admin.call(
        "res.users",
        "search_read",
        [("login", "in", ["john", "ali"])],
        fields=["login", "odoobot_state"],
    )
    assert {user["login"]: user["odoobot_state"] for user in users} == {
        "john": "disabled",
        "ali": "disabled",
    }
