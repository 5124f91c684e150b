from odoo import models
from odoo.exceptions import AccessError


class IspServerFieldsMixin(models.AbstractModel):
    """Fields that only the server sets and that never change afterwards.

    People fields (who requested, reported, counted, which technician a document is
    about) decide who may see or approve a document: record rules and approval checks
    rest on them. A user may therefore never write them; the ISP operations set them in
    `create` or through `sudo()` (the only way past `_isp_check_server_fields`). RPC
    clients can pass any context key, so no context flag opens this guard.
    """

    _name = "isp.server.fields.mixin"
    _description = "ISP: server-set, immutable fields"

    #: names of the fields no user may change after creation
    _isp_server_fields = ()

    def write(self, vals):
        self._isp_check_server_fields(vals)
        return super().write(vals)

    def _isp_check_server_fields(self, vals):
        if self.env.su:
            return
        changed = [
            name
            for name in self._isp_server_fields
            if name in vals and any(record._isp_differs(name, vals[name]) for record in self)
        ]
        if changed:
            raise AccessError(
                self.env._(
                    "%(fields)s of %(model)s are set by the system and cannot be changed.",
                    fields=", ".join(
                        self._fields[name].get_description(self.env)["string"] for name in changed
                    ),
                    model=self._description,
                )
            )

    def _isp_differs(self, name, value):
        """Whether writing `value` into field `name` would change this record."""
        current = self[name]
        if self._fields[name].type == "many2one":
            return current.id != (value or False) and (current.id or value)
        return current != value and (current or value)
