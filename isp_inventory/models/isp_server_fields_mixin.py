from odoo import models
from odoo.exceptions import AccessError


class IspServerFieldsMixin(models.AbstractModel):
    """Fields that only the server sets and that users never change afterwards.

    People fields (who requested, reported, counted, which technician a document is
    about) decide who may see or approve a document, and a serial's install record says
    where a unit is: record rules and checks rest on them. A user may therefore never
    write them; the ISP operations set them at creation or through `sudo()` (the only
    way past `_isp_check_server_fields`). RPC clients can pass any context key, so no
    context flag opens this guard.
    """

    _name = "isp.server.fields.mixin"
    _description = "ISP: server-set, immutable fields"

    #: names of the fields no user may change after creation
    _isp_server_fields = ()

    def write(self, vals):
        self._isp_check_server_fields(vals)
        return super().write(vals)

    def _isp_server_field_names(self):
        """The guarded field names (extend to add an addon's own)."""
        return set(self._isp_server_fields)

    def _isp_check_server_fields(self, vals):
        if self.env.su:
            return
        changed = sorted(
            name
            for name in self._isp_server_field_names().intersection(vals)
            if self._isp_changes(name, vals)
        )
        if changed:
            raise self._isp_server_fields_error(changed)

    def _isp_server_fields_error(self, changed):
        return AccessError(
            self.env._(
                "%(fields)s of %(model)s are set by the system and cannot be changed.",
                fields=self._isp_server_field_labels(changed),
                model=self._description,
            )
        )

    def _isp_server_field_labels(self, names):
        return ", ".join(self._fields[name].get_description(self.env)["string"] for name in names)

    def _isp_changes(self, name, vals):
        """Whether writing ``vals[name]`` changes the field on any of these records."""
        field = self._fields[name]
        return any(
            record[name]
            != field.convert_to_record(field.convert_to_cache(vals[name], record), record)
            for record in self
        )
