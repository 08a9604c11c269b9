import { Module } from '@nestjs/common';
import { ModelRepositoryModule } from '@app/models';
import { DriftReports } from './drift-reports';
import { PredictionWindow } from './prediction-window';

/** The live prediction window and drift reports; usable without loading any model. */
@Module({
  imports: [ModelRepositoryModule],
  providers: [PredictionWindow, DriftReports],
  exports: [PredictionWindow, DriftReports],
})
export class DriftModule {}
