import { _t } from "@web/core/l10n/translation";
import { scanBarcode } from "@web/core/barcode/barcode_dialog";
import { isBarcodeScannerSupported } from "@web/core/barcode/barcode_video_scanner";
import { registry } from "@web/core/registry";
import { useAutofocus, useService } from "@web/core/utils/hooks";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

import { Component, useState } from "@odoo/owl";

/**
 * "Scan": find the serial, product or location behind a code and open its form.
 *
 * A keyboard-wedge scanner types the code into the focused input and presses Enter;
 * on a phone whose browser gives camera access, the camera button reads a QR/barcode
 * label with Odoo's barcode dialog. The lookup is the server's `isp.scan.isp_lookup`.
 */
export class IspScan extends Component {
    static template = "isp_inventory.Scan";
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.notification = useService("notification");
        this.cameraSupported = isBarcodeScannerSupported();
        this.state = useState({ code: "", error: "", busy: false });
        // Focus on phones too: a Bluetooth wedge scanner types into the focused input.
        useAutofocus({ refName: "code", mobile: true });
    }

    async lookup(code) {
        code = (code || "").trim();
        if (!code || this.state.busy) {
            return;
        }
        this.state.busy = true;
        this.state.error = "";
        try {
            const found = await this.orm.call("isp.scan", "isp_lookup", [code]);
            await this.action.doAction({
                type: "ir.actions.act_window",
                name: found.display_name,
                res_model: found.model,
                res_id: found.id,
                views: [[false, "form"]],
                target: "current",
            });
        } catch (error) {
            // A UserError ("Nothing matches ...") is shown here, under the input, so the
            // next scan can follow at once; anything else goes to the error dialog.
            if (error?.data?.name === "odoo.exceptions.UserError") {
                this.state.error = error.data.message;
                this.state.code = "";
            } else {
                throw error;
            }
        } finally {
            this.state.busy = false;
        }
    }

    onKeydown(ev) {
        if (ev.key === "Enter") {
            ev.preventDefault();
            this.lookup(this.state.code);
        }
    }

    async onCamera() {
        let code;
        try {
            code = await scanBarcode(this.env);
        } catch (error) {
            this.notification.add(error?.message || _t("The camera could not read a code."), {
                type: "warning",
            });
            return;
        }
        if (code) {
            this.state.code = code;
            await this.lookup(code);
        }
    }
}

registry.category("actions").add("isp_inventory.scan", IspScan);
