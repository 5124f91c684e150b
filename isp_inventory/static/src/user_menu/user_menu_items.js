import { registry } from "@web/core/registry";

// "My Odoo.com Account" leads to odoo.com, where an ISP running Odoo Community on its
// own servers has no account: the user menu offers the ISP's own items only.
registry.category("user_menuitems").remove("odoo_account");
