import { ApiProperty } from '@nestjs/swagger';

export class ErrorResponseDto {
  @ApiProperty({ example: "instances[0]: input 'features' takes instances of shape [4] (FP32), got [3]" })
  error!: string;

  @ApiProperty({ example: 'INVALID_INPUT' })
  code!: string;
}
