/** Every write that changes figures holds this advisory lock, so batches never interleave and the change feed's order is commit order. */
export const SYNC_LOCK = 0x5f1a_2026;

/** Held while an instance migrates and seeds at start. */
export const PREPARE_LOCK = 0x5f1a_2027;

/** With a batch's id, held by the connection writing that batch for as long as it runs (two-key advisory lock). */
export const BATCH_OWNER_LOCK = 0x5f1a_2028;
