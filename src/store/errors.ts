// Store errors. Messages name records by entity and id only: never personal data (DECISIONS.md §4).
import { RecordValidationError } from '../model/index.js';

/** Another run holds the lease this one waited for (a push of the same school and target still running). */
export class LeaseHeldError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LeaseHeldError';
  }
}

/**
 * A run lost the lease it held while it worked (lease-keeper.ts): a renewal answered that another run holds it, or
 * renewals failed until the lease could lapse. The run stopped writing; a job fails and is retried, the CLI exits non-zero.
 */
export class LeaseLostError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LeaseLostError';
  }
}

export class StoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
  }
}

/**
 * A batch of upsertMany was refused because one record failed validation; nothing of that batch was written.
 * Still an instance of RecordValidationError (entity, recordId and issues are the offending record's).
 */
export class BatchRejectedError extends RecordValidationError {
  constructor(
    readonly validation: RecordValidationError,
    /** 1-based batch number. */
    readonly batch: number,
    /** 0-based position of the record in its batch. */
    readonly position: number,
    /** Records committed by earlier batches of the same call (each batch is its own transaction). */
    readonly committedBefore: number,
  ) {
    super(validation.entity, validation.recordId, validation.issues);
    this.name = 'BatchRejectedError';
    this.message =
      `upsertMany batch ${batch} rejected, nothing of it written (record #${position} of the batch: ${validation.message})` +
      (committedBefore > 0 ? `; ${committedBefore} records of earlier batches were already committed` : '');
  }
}

export class CrosswalkConflictError extends StoreError {
  constructor(
    readonly key: { system: string; instance: string; entity: string; sourceId: string },
    readonly existingCanonicalId: string,
    readonly requestedCanonicalId: string,
  ) {
    super(
      `crosswalk ${key.system}/${key.instance}/${key.entity}/${key.sourceId} is open for ${existingCanonicalId}; ` +
        `refusing to point it at ${requestedCanonicalId} (close it or use changeKey)`,
    );
    this.name = 'CrosswalkConflictError';
  }
}
