/**
 * GET /api/openapi.json: an OpenAPI 3.1 document generated from the route table and the same zod
 * schemas the services validate with (OpenAPI 3.1 schemas are JSON Schema 2020-12, which is what
 * `z.toJSONSchema` writes).
 */
import { z } from 'zod';
import { EnrollRequest, EnrollResponse, IdentifyRequest, IdentifyResponse } from '../../../protocol';
import { SignInInput } from '../../accounts/sessions';
import { SESSION_COOKIE } from './cookie';
import type { AdminRoute } from './routes';
import { SessionView } from './sessionView';

export const OPENAPI_PATH = '/api/openapi.json';
export const ADMIN_PREFIX = '/api/admin';

type Json = Record<string, unknown>;

const ErrorBodySchema = z.object({
  error: z.object({
    code: z.string().meta({ description: 'Machine-readable code, e.g. VALIDATION_FAILED' }),
    message: z.string(),
    details: z
      .record(z.string(), z.unknown())
      .optional()
      .meta({ description: 'e.g. issues: [{ path, message }] for VALIDATION_FAILED' }),
  }),
});

const HealthSchema = z.object({
  status: z.literal('ok'),
  db: z.enum(['sqlite', 'postgres']),
  protocolVersion: z.number(),
});

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
  return rest;
}

const json = (schema: Json) => ({ 'application/json': { schema } });

const ERROR_RESPONSES: Record<number, { name: string; description: string }> = {
  400: {
    name: 'ValidationFailed',
    description: 'VALIDATION_FAILED: the input is not valid (details.issues)',
  },
  401: { name: 'Unauthorized', description: 'UNAUTHORIZED: no valid session cookie or bearer token' },
  403: {
    name: 'Forbidden',
    description:
      "FORBIDDEN: the caller's role may not do this, or the object is another brand's; CSRF_INVALID: a session write without its x-csrf-token",
  },
  404: { name: 'NotFound', description: 'NOT_FOUND: an id in the path or body does not exist' },
  409: { name: 'AlreadyExists', description: 'ALREADY_EXISTS: a unique value (code, staff code…) is taken' },
};

const errorRef = (status: number) => ({ $ref: `#/components/responses/${ERROR_RESPONSES[status]!.name}` });

/** `/brands/:brandId/staff` → `/api/admin/brands/{brandId}/staff` */
export const openApiPath = (path: string): string => `${ADMIN_PREFIX}${path.replace(/:(\w+)/g, '{$1}')}`;

function operation(route: AdminRoute): Json {
  const pathParams = [...route.path.matchAll(/:(\w+)/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  const queryParams = Object.entries(route.query?.shape ?? {}).map(([name, schema]) => ({
    name,
    in: 'query',
    required: false,
    schema: jsonSchema(schema as z.ZodType, 'output'),
  }));
  const responses: Json = {
    [route.status]: {
      description: route.status === 201 ? 'Created' : 'OK',
      content:
        route.produces === 'text/csv'
          ? { 'text/csv': { schema: { type: 'string' } } }
          : json(jsonSchema(route.response, 'output')),
    },
    401: errorRef(401),
    403: errorRef(403),
  };
  for (const status of route.errors) responses[status] = errorRef(status);
  return {
    operationId: route.operationId,
    summary: route.summary,
    tags: [route.tag],
    security: [{ bearerAuth: [] }, { sessionCookie: [] }],
    'x-roles': route.roles,
    ...(pathParams.length + queryParams.length > 0 ? { parameters: [...pathParams, ...queryParams] } : {}),
    ...(route.body
      ? { requestBody: { required: true, content: json(jsonSchema(route.body, 'input')) } }
      : {}),
    responses,
  };
}

export function buildOpenApiDocument(routes: readonly AdminRoute[]): Json {
  const paths: Record<string, Json> = {};
  for (const route of routes) {
    const key = openApiPath(route.path);
    paths[key] = { ...(paths[key] ?? {}), [route.method.toLowerCase()]: operation(route) };
  }
  paths['/api/devices/enroll'] = {
    post: {
      operationId: 'enrollDevice',
      summary: 'Trade a one-time pairing code for device credentials (no bearer token)',
      tags: ['devices'],
      security: [],
      requestBody: { required: true, content: json(jsonSchema(EnrollRequest, 'input')) },
      responses: {
        200: { description: 'Enrolled', content: json(jsonSchema(EnrollResponse, 'output')) },
        400: errorRef(400),
        404: {
          description: 'PAIRING_CODE_INVALID: unknown, expired or revoked',
          content: json({ $ref: '#/components/schemas/ErrorBody' }),
        },
        409: { description: 'PAIRING_CODE_USED', content: json({ $ref: '#/components/schemas/ErrorBody' }) },
        426: {
          description: 'PROTOCOL_UNSUPPORTED',
          content: json({ $ref: '#/components/schemas/ErrorBody' }),
        },
      },
    },
  };
  paths['/api/devices/identify'] = {
    post: {
      operationId: 'identifyDevice',
      summary:
        'Prove this hub enrolled a device: HMAC-SHA256 of the nonce keyed with the device token hash (no bearer token)',
      tags: ['devices'],
      security: [],
      requestBody: { required: true, content: json(jsonSchema(IdentifyRequest, 'input')) },
      responses: {
        200: { description: 'Identified', content: json(jsonSchema(IdentifyResponse, 'output')) },
        400: errorRef(400),
        404: {
          description: 'NOT_FOUND: this hub did not enroll that device (or it is revoked)',
          content: json({ $ref: '#/components/schemas/ErrorBody' }),
        },
      },
    },
  };
  paths[`${ADMIN_PREFIX}/session`] = {
    post: {
      operationId: 'signIn',
      summary: 'Sign in to the back office: sets the session cookie, answers the CSRF token',
      tags: ['accounts'],
      security: [],
      requestBody: { required: true, content: json(jsonSchema(SignInInput, 'input')) },
      responses: {
        200: { description: 'Signed in', content: json(jsonSchema(SessionView, 'output')) },
        400: errorRef(400),
        401: { description: 'SIGNIN_FAILED', content: json({ $ref: '#/components/schemas/ErrorBody' }) },
        429: {
          description: 'SIGNIN_LOCKED: too many wrong passwords (details.lockedUntil)',
          content: json({ $ref: '#/components/schemas/ErrorBody' }),
        },
      },
    },
    get: {
      operationId: 'getSession',
      summary: 'Who is signed in (and the CSRF token for writes)',
      tags: ['accounts'],
      security: [{ sessionCookie: [] }],
      responses: {
        200: { description: 'Signed in', content: json(jsonSchema(SessionView, 'output')) },
        401: errorRef(401),
      },
    },
    delete: {
      operationId: 'signOut',
      summary: 'Sign out (needs x-csrf-token)',
      tags: ['accounts'],
      security: [{ sessionCookie: [] }],
      responses: { 204: { description: 'Signed out' }, 403: errorRef(403) },
    },
  };
  paths['/healthz'] = {
    get: {
      operationId: 'health',
      summary: 'Liveness with a database round-trip',
      tags: ['hub'],
      security: [],
      responses: {
        200: { description: 'OK', content: json(jsonSchema(HealthSchema, 'output')) },
        503: { description: 'DB_UNAVAILABLE', content: json({ $ref: '#/components/schemas/ErrorBody' }) },
      },
    },
  };
  paths[OPENAPI_PATH] = {
    get: {
      operationId: 'openApi',
      summary: 'This document',
      tags: ['hub'],
      security: [],
      responses: { 200: { description: 'OpenAPI 3.1 document', content: json({ type: 'object' }) } },
    },
  };

  const responses: Record<string, Json> = {};
  for (const { name, description } of Object.values(ERROR_RESPONSES)) {
    responses[name] = { description, content: json({ $ref: '#/components/schemas/ErrorBody' }) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'OMO Store Console hub',
      version: '1.0.0',
      description:
        'Admin REST API of the hub (bearer token or back-office session; x-roles lists the roles a route admits) plus device enrollment and health. Errors: ' +
        '{ "error": { "code", "message", "details"? } }. PINs and verification codes are write-only.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    paths,
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description: "The hub operator's token (HUB_ADMIN_TOKEN) or a brand's API token (omo_…)",
        },
        sessionCookie: {
          type: 'apiKey',
          in: 'cookie',
          name: SESSION_COOKIE,
          description: 'The back office session; writes also need the x-csrf-token header',
        },
      },
      schemas: { ErrorBody: jsonSchema(ErrorBodySchema, 'output') },
      responses,
    },
  };
}
