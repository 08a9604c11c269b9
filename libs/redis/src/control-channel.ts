import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { RedisConfig } from '@app/config';
import { appRedisOptions, createRedis, RedisClient } from './redis-connection';
import { REDIS } from './redis.module';
import { ControlMessage, ControlMessageType } from './control-message';

type Handler<T extends ControlMessageType> = (message: Extract<ControlMessage, { type: T }>) => Promise<void> | void;

/** Publishes control messages to every process, and dispatches the ones it receives to local handlers. */
@Injectable()
export class ControlChannel implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('ControlChannel');
  private readonly handlers = new Map<ControlMessageType, Handler<ControlMessageType>[]>();
  private readonly channel: string;
  private subscriber?: RedisClient;

  constructor(
    @Inject(REDIS) private readonly publisher: RedisClient,
    private readonly config: RedisConfig,
  ) {
    this.channel = `${config.keyPrefix}:control`;
  }

  on<T extends ControlMessageType>(type: T, handler: Handler<T>): void {
    const list = this.handlers.get(type) ?? [];
    list.push(handler as unknown as Handler<ControlMessageType>);
    this.handlers.set(type, list);
  }

  /** Sends to every process, this one included (it receives its own message like the others). */
  async publish(message: ControlMessage): Promise<number> {
    return this.publisher.publish(this.channel, JSON.stringify(message));
  }

  async onModuleInit(): Promise<void> {
    // A subscribed connection can do nothing else, so it is a connection of its own. Its offline queue is
    // on so that SUBSCRIBE waits for Redis when it is down at start, and ioredis resubscribes on reconnect.
    this.subscriber = createRedis(this.config.url, appRedisOptions({ enableOfflineQueue: true, maxRetriesPerRequest: null }));
    this.subscriber.on('error', () => undefined); // the app's own connection already reports outages
    this.subscriber.on('message', (_channel: string, text: string) => void this.dispatch(text));
    void this.subscriber.subscribe(this.channel).catch((e: Error) => this.logger.warn(`cannot subscribe: ${e.message}`));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }

  private async dispatch(text: string): Promise<void> {
    let message: ControlMessage;
    try {
      message = JSON.parse(text) as ControlMessage;
    } catch {
      this.logger.warn(`ignored a control message that is not JSON: ${text.slice(0, 80)}`);
      return;
    }
    for (const handler of this.handlers.get(message.type) ?? []) {
      try {
        await handler(message);
      } catch (error) {
        this.logger.error(`${message.type} failed: ${(error as Error).message}`);
      }
    }
  }
}
