// The phone's small DSFR widgets: buttons, radio groups (a note's column, a rating's
// value) and the screen reader announcer. User text only ever goes through textContent.

import { el } from "./dom.js";

/** A DSFR button running `onClick`. */
export function button(label, className, onClick) {
  const element = el("button", { className: `fr-btn ${className}`, text: label, attrs: { type: "button" } });
  element.addEventListener("click", onClick);
  return element;
}

/**
 * A DSFR radio group: a fieldset whose legend says what is chosen (with an optional hint),
 * one radio per option {value, label}; `onChange(value)` when one is picked. `inline`
 * puts the radios on one line (a scale).
 */
export function radioFieldset({ prefix, legend, hint = "", options, onChange, className = "", inline = false }) {
  const fieldset = el("fieldset", { className: `fr-fieldset ${className}`.trim() });
  const title = el("legend", { className: "fr-fieldset__legend fr-fieldset__legend--regular", text: legend });
  if (hint) title.append(el("span", { className: "fr-hint-text", text: hint }));
  fieldset.append(title);
  const elementClass = inline ? "fr-fieldset__element fr-fieldset__element--inline" : "fr-fieldset__element";
  options.forEach((option, index) => {
    const element = el("div", { className: elementClass });
    const group = el("div", { className: "fr-radio-group" });
    const input = el("input", { attrs: { type: "radio", id: `${prefix}-${index}`, name: prefix } });
    input.value = String(option.value);
    input.addEventListener("change", () => input.checked && onChange(option.value));
    const label = el("label", { className: "fr-label", text: option.label, attrs: { for: input.id } });
    group.append(input, label);
    element.append(group);
    fieldset.append(element);
  });
  return fieldset;
}

/** Check the radio of `fieldset` whose value is `value` (none for null or ""). */
export function checkRadio(fieldset, value) {
  const wanted = value === null || value === undefined ? "" : String(value);
  for (const input of fieldset.querySelectorAll("input[type=radio]")) input.checked = input.value === wanted;
}

/** The radio group "Catégorie" for an activity's columns. */
export function columnFieldset(prefix, columns, onChange) {
  return radioFieldset({
    prefix,
    legend: "Catégorie",
    hint: "Choisissez-en une avant d'envoyer.",
    options: columns.map((column) => ({ value: column.key, label: column.label })),
    onChange,
    className: "cocon-columns",
  });
}

/** Says a message in a polite live region (emptied first, so the same words are said again). */
export class Announcer {
  constructor(region) {
    this.region = region;
    this.timer = null;
  }
  say(message) {
    this.region.textContent = "";
    clearTimeout(this.timer);
    this.timer = setTimeout(() => (this.region.textContent = message), 100);
  }
}
