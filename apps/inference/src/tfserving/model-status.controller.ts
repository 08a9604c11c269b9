import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '@app/access';
import { ModelRegistry } from '@app/models';
import { modelMetadataBody, modelStatusBody, parseVersion, TfServingAdapter } from '@app/protocols';
import { ApiErrorResponses, RATE_LIMITED } from '../dto/api-error-responses';

const UNKNOWN_LABEL = { status: 404, description: 'Unknown model, or a label its model.json versionLabels does not declare' };

/** TF Serving's model status and metadata routes, and a list of the models served. */
@ApiTags('TensorFlow Serving')
@Controller('v1/models')
export class ModelStatusController {
  constructor(
    private readonly registry: ModelRegistry,
    private readonly tfserving: TfServingAdapter,
  ) {}

  @Get()
  @RequireScope('predict')
  @ApiOperation({ summary: 'List the models and the state of their versions (modelgate extension)' })
  @ApiOkResponse({ schema: { example: { models: [{ name: 'iris', versions: [{ version: 1, state: 'AVAILABLE' }] }] } } })
  list() {
    return { models: this.registry.names().map((name) => this.registry.status(name)) };
  }

  @Get(':name')
  @RequireScope('predict')
  @ApiOperation({ summary: 'State of every version of a model' })
  @ApiParam({ name: 'name', example: 'iris' })
  @ApiOkResponse({ schema: { example: { model_version_status: [{ version: '1', state: 'AVAILABLE', status: { error_code: 'OK', error_message: '' } }] } } })
  status(@Param('name') name: string) {
    return modelStatusBody(this.registry.status(name));
  }

  @Get(':name/versions/:version')
  @RequireScope('predict')
  @ApiOperation({ summary: 'State of one version of a model' })
  versionStatus(@Param('name') name: string, @Param('version') version: string) {
    const v = parseVersion(version);
    const body = modelStatusBody(this.registry.status(name), v);
    if (body.model_version_status.length === 0) this.registry.resolve(name, v); // throws the 404
    return body;
  }

  @Get(':name/labels/:label')
  @RequireScope('predict')
  @ApiOperation({ summary: 'State of the version a label names (model.json versionLabels), whatever its state' })
  @ApiParam({ name: 'name', example: 'iris' })
  @ApiParam({ name: 'label', example: 'stable' })
  @ApiOkResponse({ schema: { example: { model_version_status: [{ version: '1', state: 'AVAILABLE', status: { error_code: 'OK', error_message: '' } }] } } })
  @ApiErrorResponses(UNKNOWN_LABEL, RATE_LIMITED)
  labelStatus(@Param('name') name: string, @Param('label') label: string) {
    const version = this.registry.labelVersion(name, label);
    const body = modelStatusBody(this.registry.status(name), version);
    if (body.model_version_status.length === 0) this.registry.resolve(name, version); // throws the 404
    return body;
  }

  @Get(':name/labels/:label/metadata')
  @RequireScope('predict')
  @ApiOperation({ summary: 'Signature of the version a label names (503 while that version is not available)' })
  @ApiParam({ name: 'name', example: 'iris' })
  @ApiParam({ name: 'label', example: 'stable' })
  @ApiErrorResponses(UNKNOWN_LABEL, RATE_LIMITED, { status: 503, description: 'The version the label names is not available (Retry-After)' })
  metadataLabel(@Param('name') name: string, @Param('label') label: string) {
    return modelMetadataBody(this.registry.resolve(name, this.tfserving.labelledVersion(name, label)));
  }

  @Get(':name/metadata')
  @RequireScope('predict')
  @ApiOperation({ summary: 'Signature of the latest available version (TF Serving GetModelMetadata)' })
  metadata(@Param('name') name: string) {
    return modelMetadataBody(this.registry.resolve(name));
  }

  @Get(':name/versions/:version/metadata')
  @RequireScope('predict')
  @ApiOperation({ summary: 'Signature of one version' })
  metadataVersion(@Param('name') name: string, @Param('version') version: string) {
    return modelMetadataBody(this.registry.resolve(name, parseVersion(version)));
  }
}
