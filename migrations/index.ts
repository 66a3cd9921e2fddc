import { InitialSchema1763900000000 } from './1763900000000-initial-schema.js';
import { DerivedIndicators1764000000000 } from './1764000000000-derived-indicators.js';
import { Sync1764100000000 } from './1764100000000-sync.js';
import { DataVersion1764200000000 } from './1764200000000-data-version.js';
import { StatementHistoryLatest1764300000000 } from './1764300000000-statement-history-latest.js';
import { LatestFigures1764400000000 } from './1764400000000-latest-figures.js';
import { TriggerPlans1764500000000 } from './1764500000000-trigger-plans.js';
import { DataVersionOnChange1764600000000 } from './1764600000000-data-version-on-change.js';
import { LatestCitations1764700000000 } from './1764700000000-latest-citations.js';
import { Ranks1764800000000 } from './1764800000000-ranks.js';
import { DropBumpDataVersion1764900000000 } from './1764900000000-drop-bump-data-version.js';
import { InterruptedBatches1765000000000 } from './1765000000000-interrupted-batches.js';
import { ReusableKeyNames1765100000000 } from './1765100000000-reusable-key-names.js';
import { LatestRanks1765200000000 } from './1765200000000-latest-ranks.js';

/** Every migration in order; explicit imports keep them working from src and dist alike. */
export const migrations = [
  InitialSchema1763900000000,
  DerivedIndicators1764000000000,
  Sync1764100000000,
  DataVersion1764200000000,
  StatementHistoryLatest1764300000000,
  LatestFigures1764400000000,
  TriggerPlans1764500000000,
  DataVersionOnChange1764600000000,
  LatestCitations1764700000000,
  Ranks1764800000000,
  DropBumpDataVersion1764900000000,
  InterruptedBatches1765000000000,
  ReusableKeyNames1765100000000,
  LatestRanks1765200000000,
];
