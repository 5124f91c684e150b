import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";

import { Component, useState } from "@odoo/owl";

/**
 * "Use my location": reads the phone's GPS (navigator.geolocation, as hr_attendance
 * does) and fills the record's latitude/longitude fields.
 */
export class IspGpsButton extends Component {
    static template = "isp_inventory.GpsButton";
    static props = {
        ...standardWidgetProps,
        latitudeField: { type: String },
        longitudeField: { type: String },
    };

    setup() {
        this.notification = useService("notification");
        this.state = useState({ busy: false });
    }

    onClick() {
        if (!navigator.geolocation) {
            this.notification.add(_t("This browser cannot share its location."), { type: "danger" });
            return;
        }
        this.state.busy = true;
        navigator.geolocation.getCurrentPosition(
            async ({ coords }) => {
                await this.props.record.update({
                    [this.props.latitudeField]: coords.latitude,
                    [this.props.longitudeField]: coords.longitude,
                });
                this.state.busy = false;
            },
            (error) => {
                this.state.busy = false;
                this.notification.add(error.message || _t("Location unavailable."), { type: "warning" });
            },
            { enableHighAccuracy: true, timeout: 20000 }
        );
    }
}

registry.category("view_widgets").add("isp_gps_button", {
    component: IspGpsButton,
    extractProps: ({ attrs }) => ({
        latitudeField: attrs.latitude_field || "latitude",
        longitudeField: attrs.longitude_field || "longitude",
    }),
});
