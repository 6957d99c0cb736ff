// The phone's drafts, kept per activity in localStorage (rules in drafts.js): the compose
// form writes the current activity's draft; a draft left behind by a change of activity
// stays until it is sent, moved or erased.

import {
  adoptUnbound,
  discardDraft,
  getDraft,
  loadDrafts,
  rebindDraft,
  saveDrafts,
  updateDraft,
} from "./drafts.js";

export class DraftStore {
  constructor(storage, key, state) {
    this.storage = storage;
    this.key = key;
    this.state = state;
    this.store = loadDrafts(storage, key); // `current`: the activity the compose form writes for
    this.saved = this.store;
  }

  /** The activity the compose form writes for (null: none yet). */
  get current() {
    return this.store.current;
  }

  get(activityId) {
    return getDraft(this.store, activityId);
  }

  persist() {
    if (this.store === this.saved) return;
    saveDrafts(this.storage, this.key, this.store);
    this.saved = this.store;
  }

  /** The activity a draft slot is for (from the last snapshot, else from the draft itself). */
  activityRef(activityId) {
    if (activityId === null || activityId === undefined) return null;
    return this.state.activities.get(activityId) || { id: activityId, title: getDraft(this.store, activityId).activityTitle };
  }

  update(activityId, patch) {
    this.store = updateDraft(this.store, this.activityRef(activityId), patch);
    this.persist();
  }

  discard(activityId) {
    this.store = discardDraft(this.store, activityId);
    this.persist();
  }

  rebind(fromId, activity) {
    this.store = rebindDraft(this.store, fromId, activity);
    this.persist();
  }

  /**
   * Follow the current activity: the compose form now writes that activity's draft; the
   * one left behind stays. Returns the draft left behind when the activity changed, else
   * null.
   */
  follow(activity, workshop) {
    if (!workshop) return null; // not synced yet: keep writing where we were
    this.store = adoptUnbound(this.store, activity, workshop);
    const id = activity ? activity.id : null;
    let left = null;
    if (id !== this.store.current) {
      left = getDraft(this.store, this.store.current);
      this.store = { ...this.store, current: id };
    }
    this.persist();
    return left;
  }
}
