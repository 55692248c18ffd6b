// The item page's serial type: what its finished serial codes start with (helper "complete").
import { $, api, t, toast } from "./common.js";
import { clearErrors, showError } from "./setup_form.js";

const PATH = `/items/${encodeURIComponent(document.body.dataset.sku)}`;

function show(item) {
  $("#serial-type").value = item.serial_type_set || "";
  $("#serial-type").placeholder = item.serial_type;
  const day = new Date().toISOString().slice(0, 10).split("-");
  $("#serial-type-example").textContent = t("Next serial looks like {code}", { code: `${item.serial_type}-${day[0]}-${day[1]}${day[2]}-0001` });
}

async function save(event) {
  event.preventDefault();
  const form = event.target;
  try {
    show(await api("PUT", `${PATH}/serial-type`, { serial_type: $("#serial-type").value.trim() || null }));
    clearErrors(form);
    toast(t("Serial type saved."), "good");
  } catch (err) { showError(form, err); }
}

$("#serial-type-form").addEventListener("submit", save);
api("GET", PATH).then(show).catch((err) => toast(err.message, "bad"));
