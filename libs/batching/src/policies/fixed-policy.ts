import { BatchSizePolicy } from './batch-size-policy';

export class FixedPolicy implements BatchSizePolicy {
  constructor(private readonly rows: number) {}

  limit(): number {
    return this.rows;
  }

  record(): void {
    // A fixed limit learns nothing.
  }
}
