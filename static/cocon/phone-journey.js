// The phone on a journey map: the persona and the scenario, then one stage at a time
// ("Étape 2 sur 5 : Dépôt du dossier", previous / next, a short list of the stages to jump
// to). On a stage: how it feels, on five large buttons from "Très difficile" to "Très
// bien" (the same one again takes the rating back), then each lane the facilitator left
// on, with its cards and "Ajouter une carte".
//
// A full grid does not fit on a phone, hence one stage at a time. Ratings and cards go
// through the outbox like votes and notes (kept offline, resent with the same request_id
// after a reconnect or a reload), and show at once: a rating the server refuses falls back
// to the one it holds, a card it refuses goes back into its form with the reason. The
// text of a card being written is kept per cell in the phone's storage, with the stage
// last shown. Rules: journey-rules.js. User text only ever goes through textContent.

import { el, reconcile, setText, show } from "./dom.js";
import { contributionCounts, joinBodies } from "./drafts.js";
import {
  FEELINGS,
  HORIZONS,
  cardError,
  cardRefusalText,
  cardStatusText,
  cellCards,
  cellKey,
  currentStage,
  enabledLanes,
  feelingCommand,
  feelingLabel,
  feelingRefusalText,
  feelingText,
  isJourney,
  journeyClosedReason,
  journeyOpen,
  laneHint,
  myFeelings,
  neighbourStage,
  ratedStages,
  signed,
  stageTitle,
  stagesOf,
} from "./journey-rules.js";
import { pendingText } from "./phone-vote.js";

const FEELING_COMMANDS = new Set(["feeling.set", "feeling.clear"]);

/** The phone's journey memory: the stage shown per map, the card texts being written. */
function loadMemory(key) {
  try {
    const data = JSON.parse(localStorage.getItem(key) || "null");
    const stages = data && typeof data.stages === "object" && data.stages ? data.stages : {};
    const drafts = data && typeof data.drafts === "object" && data.drafts ? data.drafts : {};
    return { stages, drafts };
  } catch {
    return { stages: {}, drafts: {} };
  }
}

export class JourneyScreen {
  /** ctx: the phone's shared parts (root, state, ui, client, render, announce). */
  constructor(ctx) {
    this.ctx = ctx;
    const bind = (name) => ctx.root.querySelector(`[data-bind="${name}"]`);
    this.section = bind("journey");
    this.horizon = bind("journey-horizon");
    this.persona = bind("journey-persona");
    this.scenario = bind("journey-scenario");
    this.progress = bind("journey-progress");
    this.notice = bind("journey-notice");
    this.topError = bind("journey-error");
    this.stageList = bind("journey-stages");
    this.stageView = bind("journey-stage");
    this.empty = bind("journey-empty");
    this.storageKey = `cocon.phone.journey.${ctx.root.dataset.workshopId}`;
    this.memory = loadMemory(this.storageKey);
    this.open = new Set(); // cells whose card form is open
    this.cellErrors = new Map(); // cell key -> message under its form
    this.feelingErrors = new Map(); // "activity:stage" -> message under the scale
    this.error = "";
    this.activityId = null;
    this.stage = null; // key of the stage shown
    this.lanes = new Map(); // cell key -> lane parts
    this.chips = new Map(); // stage key -> {item, button}
    this.view = null;
  }

  // Memory ------------------------------------------------------------------------------

  save() {
    try {
      localStorage.setItem(this.storageKey, JSON.stringify(this.memory));
    } catch {
      // Storage full or refused: the text stays in the page until a reload.
    }
  }

  draft(key) {
    return this.memory.drafts[key] || "";
  }

  setDraft(key, body) {
    if (body) this.memory.drafts[key] = body;
    else delete this.memory.drafts[key];
    this.save();
  }

  // Rendering ---------------------------------------------------------------------------

  render(activity) {
    const shown = isJourney(activity);
    show(this.section, shown);
    if (!shown) return;
    const { state, client } = this.ctx;
    if (activity.id !== this.activityId) this.enter(activity);
    const stage = currentStage(activity, this.stage);
    this.stage = stage;
    if (stage) this.memory.stages[activity.id] = stage;

    const journey = activity.journey || {};
    setText(this.horizon, HORIZONS[journey.horizon] || "");
    show(this.horizon, Boolean(HORIZONS[journey.horizon]));
    setText(this.persona, journey.persona || "");
    show(this.persona.parentElement, Boolean(journey.persona));
    setText(this.scenario, journey.scenario || "");
    show(this.scenario.parentElement, Boolean(journey.scenario));

    const pending = client.pending();
    const feelings = myFeelings(activity.id, state.feelings.get(activity.id), pending);
    const open = journeyOpen(activity, state.workshop);
    const sent = contributionCounts(state.own.values(), pending).get(activity.id) || 0;
    const stages = stagesOf(activity);
    let progress = stages.length ? `Étapes notées : ${ratedStages(activity, feelings)} sur ${stages.length}` : "";
    if (typeof activity.max_notes === "number") progress += ` · Cartes envoyées : ${sent} / ${activity.max_notes}`;
    setText(this.progress, progress);
    const reason = journeyClosedReason(activity, state.workshop);
    setText(this.notice, reason);
    show(this.notice, Boolean(reason));
    setText(this.topError, this.error);
    show(this.topError, Boolean(this.error));
    show(this.empty, stages.length === 0);

    const focused = document.activeElement;
    const inside = Boolean(focused) && this.section.contains(focused);
    this.renderStageList(activity, feelings);
    if (stage) this.renderStage(activity, stage, { feelings, open, pending });
    show(this.stageView, Boolean(stage));
    // The control under the finger went away or got disabled (the map closed, the stage
    // was removed): the stage's title takes the focus, never the page's top.
    const lost = document.activeElement === document.body || (focused && focused.matches(":disabled"));
    if (inside && lost && this.view && stage) this.view.title.focus({ preventScroll: true });
  }

  /** A new journey becomes current: back to the stage last shown on it, cards being written included. */
  enter(activity) {
    this.activityId = activity.id;
    this.stage = this.memory.stages[activity.id] || null;
    this.open.clear();
    this.lanes.clear();
    this.cellErrors.clear();
    this.error = "";
    const prefix = `${activity.id}:`;
    for (const [key, body] of Object.entries(this.memory.drafts)) if (key.startsWith(prefix) && body) this.open.add(key);
  }

  renderStageList(activity, feelings) {
    const stages = stagesOf(activity);
    const items = stages.map((stage, index) => {
      let chip = this.chips.get(stage.key);
      if (!chip) {
        const item = el("li", { className: "cocon-journey__chip" });
        const button = el("button", { className: "fr-btn fr-btn--sm fr-btn--tertiary", attrs: { type: "button" } });
        const name = el("span");
        const mark = el("span", { attrs: { "aria-hidden": "true" } });
        const said = el("span", { className: "fr-sr-only" });
        button.append(name, mark, said);
        button.addEventListener("click", () => this.go(stage.key));
        item.append(button);
        chip = { item, button, name, mark, said };
        this.chips.set(stage.key, chip);
      }
      const feeling = feelings.get(stage.key);
      const rated = feeling && feeling.value !== null;
      const current = stage.key === this.stage;
      setText(chip.name, `${index + 1}. ${stage.label}`);
      setText(chip.mark, rated ? " ✓" : "");
      setText(chip.said, rated ? "(notée)" : "");
      if (current) chip.button.setAttribute("aria-current", "step");
      else chip.button.removeAttribute("aria-current");
      chip.button.classList.toggle("fr-btn--tertiary", !current);
      return chip.item;
    });
    reconcile(this.stageList, items);
    for (const key of this.chips.keys()) if (!stages.some((s) => s.key === key)) this.chips.delete(key);
  }

  /** The stage's frame, built once: title, the scale, the lanes, previous / next. */
  buildView() {
    const title = el("h2", {
      className: "fr-h4 fr-mb-2w cocon-journey__title",
      attrs: { id: "journey-stage-title", tabindex: "-1" },
    });
    const scale = el("fieldset", {
      className: "fr-fieldset cocon-feeling",
      attrs: { "aria-describedby": "journey-feeling-status journey-feeling-error" },
    });
    const legend = el("legend", {
      className: "fr-fieldset__legend fr-fieldset__legend--regular cocon-feeling__legend",
      text: "Comment se passe cette étape ?",
    });
    legend.append(el("span", { className: "fr-hint-text", text: "Touchez votre ressenti, de « Très difficile » à « Très bien ». Touchez-le à nouveau pour l'effacer." }));
    const options = el("div", { className: "cocon-feeling__options" });
    const buttons = FEELINGS.map((feeling) => {
      const button = el("button", {
        className: `cocon-feeling__option cocon-feeling__option--${feeling.value + 2}`,
        attrs: { type: "button", "aria-pressed": "false", "data-value": String(feeling.value) },
      });
      button.append(
        el("span", { className: "cocon-feeling__label", text: feeling.label }),
        el("span", { className: "cocon-feeling__value", text: signed(feeling.value) }),
      );
      button.addEventListener("click", () => this.tap(feeling.value));
      options.append(button);
      return button;
    });
    const live = el("div", { className: "cocon-feeling__live", attrs: { "aria-live": "polite" } });
    const status = el("p", { className: "cocon-feeling__status", attrs: { id: "journey-feeling-status" } });
    const error = el("p", { className: "fr-error-text cocon-feeling__error", attrs: { id: "journey-feeling-error", hidden: true } });
    live.append(status, error);
    const clear = el("button", {
      className: "fr-btn fr-btn--sm fr-btn--tertiary cocon-feeling__clear",
      text: "Effacer mon ressenti",
      attrs: { type: "button", "aria-describedby": "journey-feeling-status" },
    });
    clear.addEventListener("click", () => this.clearFeeling());
    scale.append(legend, options, live, clear);

    const lanes = el("div", { className: "cocon-journey__lanes" });
    const steps = el("div", { className: "cocon-journey__steps" });
    const step = (text, direction) => {
      const button = el("button", { className: "fr-btn fr-btn--secondary", text, attrs: { type: "button" } });
      const name = el("span", { className: "fr-sr-only" });
      button.append(name);
      button.addEventListener("click", () => {
        const target = neighbourStage(this.ctx.state.currentActivity(), this.stage, direction);
        if (target) this.go(target);
      });
      return { button, name };
    };
    const previous = step("Étape précédente", -1);
    const next = step("Étape suivante", 1);
    steps.append(previous.button, next.button);
    this.stageView.replaceChildren(title, scale, lanes, steps);
    return { title, buttons, status, error, clear, lanes, previous, next };
  }

  renderStage(activity, stage, context) {
    if (!this.view) this.view = this.buildView();
    const view = this.view;
    setText(view.title, stageTitle(activity, stage));
    const feeling = context.feelings.get(stage);
    const value = feeling ? feeling.value : null;
    for (const button of view.buttons) {
      const pressed = value !== null && Number(button.dataset.value) === value;
      button.setAttribute("aria-pressed", String(pressed));
      button.disabled = !context.open;
    }
    let status = feelingText(value);
    if (feeling && feeling.pending) {
      const offline = this.ctx.root.dataset.status !== "online";
      status += ` · ${value === null ? "Effacement : " : ""}${pendingText(offline)}`;
    }
    setText(view.status, status);
    const error = this.feelingErrors.get(`${activity.id}:${stage}`) || "";
    setText(view.error, error);
    show(view.error, Boolean(error));
    show(view.clear, value !== null);
    view.clear.disabled = !context.open;

    const lanes = enabledLanes(activity);
    const nodes = lanes.map((lane) => this.lane(activity, stage, lane, context));
    if (!lanes.length) nodes.push(this.noLanes());
    reconcile(view.lanes, nodes);

    const stages = stagesOf(activity);
    for (const [parts, direction] of [[view.previous, -1], [view.next, 1]]) {
      const target = neighbourStage(activity, stage, direction);
      const label = target ? stages.find((s) => s.key === target).label : "";
      setText(parts.name, label ? ` : ${label}` : "");
      show(parts.button, Boolean(target));
    }
  }

  noLanes() {
    if (!this.noLanesNote) {
      this.noLanesNote = el("p", { className: "fr-text--sm", text: "L'animation n'a ouvert aucune ligne où ajouter des cartes." });
    }
    return this.noLanesNote;
  }

  // A lane of the stage ----------------------------------------------------------------

  lane(activity, stage, lane, context) {
    const key = cellKey(activity.id, stage, lane.key);
    let parts = this.lanes.get(key);
    if (!parts) {
      parts = this.buildLane(key, activity.id, stage, lane.key);
      this.lanes.set(key, parts);
    }
    const { state } = this.ctx;
    const stageLabel = (stagesOf(activity).find((s) => s.key === stage) || {}).label || "";
    const cards = cellCards(activity, stage, lane.key, {
      contributions: Array.from(state.contributions.values()),
      own: Array.from(state.own.values()),
      pending: context.pending,
    });
    setText(parts.title, `${lane.label} (${cards.length})`);
    const hint = laneHint(lane);
    setText(parts.hint, hint);
    show(parts.hint, Boolean(hint));
    const offline = this.ctx.root.dataset.status !== "online";
    const clusters = new Map(Array.from(state.clusters.values()).map((c) => [c.id, c.title]));
    reconcile(
      parts.cards,
      cards.map((card) => this.card(parts, card, offline, clusters)),
    );
    for (const cardKey of parts.cardViews.keys()) if (!cards.some((c) => c.key === cardKey)) parts.cardViews.delete(cardKey);
    show(parts.cards, cards.length > 0);
    show(parts.empty, cards.length === 0);

    const drafted = Boolean(this.draft(key));
    const opened = this.open.has(key);
    setText(parts.addText, drafted ? "Reprendre votre carte" : "Ajouter une carte");
    setText(parts.addName, ` dans « ${lane.label} »`);
    show(parts.add, !opened);
    parts.add.disabled = !context.open && !drafted;
    show(parts.form, opened);
    setText(parts.label, `Votre carte pour « ${lane.label} », étape « ${stageLabel} »`);
    if (parts.textarea.value !== this.draft(key) && document.activeElement !== parts.textarea) {
      parts.textarea.value = this.draft(key);
    }
    const error = this.cellErrors.get(key) || "";
    setText(parts.error, error);
    show(parts.error, Boolean(error));
    if (error) parts.textarea.setAttribute("aria-invalid", "true");
    else parts.textarea.removeAttribute("aria-invalid");
    return parts.section;
  }

  buildLane(key, activityId, stage, laneKey) {
    const id = `lane-${key.replace(/[^a-zA-Z0-9_-]/g, "-")}`;
    const section = el("section", { className: "cocon-lane", attrs: { "aria-labelledby": `${id}-title` } });
    const title = el("h3", { className: "fr-h6 fr-mb-0 cocon-lane__title", attrs: { id: `${id}-title` } });
    const hint = el("p", { className: "fr-hint-text fr-mb-1w cocon-lane__hint" });
    const cards = el("ul", { className: "cocon-lane__cards" });
    const empty = el("p", { className: "fr-text--sm fr-mb-1w cocon-lane__empty", text: "Aucune carte pour l'instant." });
    const add = el("button", { className: "fr-btn fr-btn--sm fr-btn--secondary cocon-lane__add", attrs: { type: "button" } });
    const addText = el("span");
    const addName = el("span", { className: "fr-sr-only" });
    add.append(addText, addName);
    add.addEventListener("click", () => this.openForm(key));

    const form = el("form", { className: "cocon-lane__form", attrs: { novalidate: true, hidden: true } });
    const group = el("div", { className: "fr-input-group fr-mb-1w" });
    const label = el("label", { className: "fr-label", attrs: { for: `${id}-body` } });
    const labelHint = el("span", {
      className: "fr-hint-text",
      text: "500 caractères au plus. Votre texte reste sur ce téléphone tant qu'il n'est pas envoyé.",
    });
    const textarea = el("textarea", {
      className: "fr-input",
      attrs: { id: `${id}-body`, rows: "3", maxlength: "500", "aria-describedby": `${id}-error` },
    });
    textarea.addEventListener("input", () => this.setDraft(key, textarea.value));
    const labelWrap = el("span");
    label.append(labelWrap);
    group.append(label, textarea);
    const errorLive = el("div", { attrs: { "aria-live": "polite" } });
    const error = el("p", { className: "fr-error-text fr-mt-0 fr-mb-1w", attrs: { id: `${id}-error`, hidden: true } });
    errorLive.append(error);
    const buttons = el("div", { className: "fr-btns-group fr-btns-group--inline fr-btns-group--sm cocon-lane__buttons" });
    const send = el("button", { className: "fr-btn", text: "Envoyer", attrs: { type: "submit" } });
    const close = el("button", { className: "fr-btn fr-btn--tertiary", text: "Fermer", attrs: { type: "button" } });
    close.addEventListener("click", () => this.closeForm(key));
    buttons.append(send, close);
    form.append(group, errorLive, buttons);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit(key, activityId, stage, laneKey);
    });
    section.append(title, hint, cards, empty, add, form);
    // The label's text is set on each render; its hint stays.
    const parts = { section, title, hint, cards, empty, add, addText, addName, form, label: labelWrap, textarea, error, cardViews: new Map() };
    label.append(labelHint);
    return parts;
  }

  card(parts, card, offline, clusters) {
    let view = parts.cardViews.get(card.key);
    if (!view) {
      const item = el("li", { className: "cocon-note cocon-note--phone cocon-lane__card" });
      view = {
        item,
        cluster: el("p", { className: "cocon-note__cluster" }),
        body: el("p", { className: "cocon-note__body" }),
        meta: el("p", { className: "cocon-note__author" }),
      };
      item.append(view.cluster, view.body, view.meta);
      parts.cardViews.set(card.key, view);
    }
    view.item.dataset.status = card.status;
    view.item.classList.toggle("cocon-lane__card--own", card.own);
    view.item.classList.toggle("cocon-lane__card--pending", card.status === "pending");
    const cluster = card.cluster_id ? clusters.get(card.cluster_id) || "" : "";
    setText(view.cluster, cluster ? `Regroupement : ${cluster}` : "");
    show(view.cluster, Boolean(cluster));
    setText(view.body, card.body);
    const meta = [card.author ? `Par ${card.author}` : "", cardStatusText(card, offline)].filter(Boolean).join(" · ");
    setText(view.meta, meta);
    show(view.meta, Boolean(meta));
    return view.item;
  }

  // What the participant does -----------------------------------------------------------

  /** Show another stage; its title takes the focus (a screen reader says where we are). */
  go(stage) {
    const activity = this.ctx.state.currentActivity();
    if (!activity) return;
    this.stage = stage;
    this.memory.stages[activity.id] = stage;
    this.error = "";
    this.save();
    this.ctx.render();
    if (this.view) this.view.title.focus(); // scrolled into view if needed
  }

  tap(value) {
    const { state, client } = this.ctx;
    const activity = state.currentActivity();
    if (!isJourney(activity) || !journeyOpen(activity, state.workshop) || !this.stage) return;
    const feelings = myFeelings(activity.id, state.feelings.get(activity.id), client.pending());
    const current = feelings.get(this.stage);
    this.feelingErrors.delete(`${activity.id}:${this.stage}`);
    this.error = "";
    client.send(feelingCommand(activity.id, this.stage, current ? current.value : null, value));
    this.ctx.render();
  }

  clearFeeling() {
    const { state, client } = this.ctx;
    const activity = state.currentActivity();
    if (!isJourney(activity) || !journeyOpen(activity, state.workshop) || !this.stage) return;
    this.feelingErrors.delete(`${activity.id}:${this.stage}`);
    client.send({ type: "feeling.clear", activity_id: activity.id, stage: this.stage });
    this.ctx.render();
    if (this.view) this.view.buttons[0].focus();
  }

  openForm(key) {
    this.open.add(key);
    this.ctx.render();
    const parts = this.lanes.get(key);
    if (parts) parts.textarea.focus();
  }

  closeForm(key) {
    this.open.delete(key);
    this.cellErrors.delete(key);
    this.ctx.render();
    const parts = this.lanes.get(key);
    if (parts) parts.add.focus();
  }

  submit(key, activityId, stage, lane) {
    const { state, client } = this.ctx;
    const activity = state.activities.get(activityId);
    const parts = this.lanes.get(key);
    const body = parts.textarea.value;
    this.setDraft(key, body);
    const sent = contributionCounts(state.own.values(), client.pending()).get(activityId) || 0;
    const problem = cardError(activity, state.workshop, body, sent);
    if (problem) {
      this.cellErrors.set(key, problem);
      this.ctx.render();
      parts.textarea.focus();
      return;
    }
    this.cellErrors.delete(key);
    client.send({ type: "contribution.create", activity_id: activityId, body: body.trim(), column: stage, lane });
    // Queued and saved in the outbox: only now may the text go.
    this.setDraft(key, "");
    parts.textarea.value = "";
    this.open.delete(key);
    this.ctx.render();
    parts.add.focus();
    const laneLabel = (enabledLanes(activity).find((l) => l.key === lane) || {}).label || "";
    const offline = this.ctx.root.dataset.status !== "online";
    this.ctx.announce(
      offline
        ? `Carte gardée pour « ${laneLabel} » : elle partira au retour du réseau.`
        : `Carte envoyée dans « ${laneLabel} ».`,
    );
  }

  // Answers of the server ---------------------------------------------------------------

  acked(command) {
    if (command && FEELING_COMMANDS.has(command.type)) this.feelingErrors.delete(`${command.activity_id}:${command.stage}`);
  }

  /** A rating the server refused: the one it holds shows again, with the reason. */
  feelingRefused(command, error) {
    const message = feelingRefusalText(error);
    this.feelingErrors.set(`${command.activity_id}:${command.stage}`, message);
    if (command.activity_id !== this.activityId || command.stage !== this.stage) {
      const activity = this.ctx.state.activities.get(command.activity_id);
      const stage = stagesOf(activity).find((s) => s.key === command.stage);
      this.error = stage ? `Étape « ${stage.label} » : ${message}` : message;
    }
    this.ctx.announce(message);
  }

  /**
   * A card the server refused: its text goes back into the form of its cell, with the
   * reason. Returns false when that map is not the one shown (the caller keeps it with
   * the other refused notes, in "Mes contributions").
   */
  cardRefused(command, error) {
    if (command.activity_id !== this.activityId || !isJourney(this.ctx.state.currentActivity())) return false;
    const key = cellKey(command.activity_id, command.column, command.lane);
    this.setDraft(key, joinBodies(this.draft(key), command.body || ""));
    this.open.add(key);
    const message = cardRefusalText(error);
    this.cellErrors.set(key, message);
    if (command.column !== this.stage) {
      const stage = stagesOf(this.ctx.state.currentActivity()).find((s) => s.key === command.column);
      this.error = stage ? `Étape « ${stage.label} » : ${message}` : message;
    }
    this.ctx.announce(message);
    return true;
  }

  showError(message) {
    this.error = message;
  }
}
