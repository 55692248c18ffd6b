// An on-screen keypad for touch screens; it types into anything with a `value`.
import { el, t } from "./common.js";

const LAYOUTS = {
  code: [["7", "8", "9", "⌫"], ["4", "5", "6", "CLR"], ["1", "2", "3", "-"], ["B", "J", "0"]],
  number: [["7", "8", "9"], ["4", "5", "6"], ["1", "2", "3"], [".", "0", "⌫"]],
  count: [["7", "8", "9"], ["4", "5", "6"], ["1", "2", "3"], ["CLR", "0", "⌫"]],
  pin: [["1", "2", "3"], ["4", "5", "6"], ["7", "8", "9"], ["CLR", "0", "⌫"]],
};

/** Return a keypad element that edits target.value (an input or any object with value). */
export function keypad(target, mode = "code") {
  const press = (key) => {
    const now = target.value || "";
    if (key === "⌫") target.value = now.slice(0, -1);
    else if (key === "CLR") target.value = "";
    else target.value = now + key;
    if (target instanceof HTMLElement) { target.dispatchEvent(new Event("input")); target.focus(); }
  };
  return el("div", { class: `keypad keypad-${mode}`, role: "group", "aria-label": t("Keypad") },
    LAYOUTS[mode].flat().map((key) => el("button", {
      type: "button",
      class: `key ${key.length > 1 || "⌫-.BJ".includes(key) ? "key-fn" : ""} ${mode === "code" && key === "0" ? "key-wide" : ""}`,
      "aria-label": key === "⌫" ? t("Delete") : key === "CLR" ? t("Clear") : key,
      onpointerdown: (e) => e.preventDefault(), // keep the input focused
      onclick: () => press(key),
    }, key)));
}
