export interface paths {
    "/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Service information */
        get: operations["getRoot"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/check": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness (alias) */
        get: operations["getHealthCheck"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness: 200 when the database answers and the bus is connected, else 503 */
        get: operations["getHealthReady"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/conversations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List conversations, most recently updated first (cursor pagination) */
        get: operations["getConversations"];
        put?: never;
        /** Create a conversation */
        post: operations["postConversations"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/conversations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a conversation with its 50 most recent messages */
        get: operations["getConversationsById"];
        put?: never;
        post?: never;
        /** Delete a conversation and its messages */
        delete: operations["deleteConversationsById"];
        options?: never;
        head?: never;
        /** Update the title and/or metadata of a conversation */
        patch: operations["patchConversationsById"];
        trace?: never;
    };
    "/conversations/{id}/stop": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Stop the bot reply in progress; the part generated so far is stored, marked stopped */
        post: operations["postConversationsByIdStop"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/conversations/{id}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List messages, newest first: page mode (page, size) or cursor mode (before, limit) */
        get: operations["getConversationsByIdMessages"];
        put?: never;
        /** Add a message (bumps the conversation's updated_at). With `reply: true` the bot answers; with `Accept: text/event-stream` the answer is streamed as Server-Sent Events (`message`, `delta`…, `message`, `done`, or `error`). */
        post: operations["postConversationsByIdMessages"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/conversations/{id}/messages/{message_id}/regenerate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Another reply to a user message, kept beside the earlier ones and made the active branch (202; or streamed with Accept: text/event-stream) */
        post: operations["postConversationsByIdMessagesByMessageIdRegenerate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/conversations/{id}/messages/{message_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Edit a user message's content */
        put: operations["putConversationsByIdMessagesByMessageId"];
        post?: never;
        /** Delete a user message (the messages after it stay, re-attached to its parent), or with `subtree=true` any message and every message below it */
        delete: operations["deleteConversationsByIdMessagesByMessageId"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/conversations/{id}/tree": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every message of the conversation with its parent, and the head (all branches, parents first) */
        get: operations["getConversationsByIdTree"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/conversations/{id}/head": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Switch branch: make the newest leaf below a message the head */
        put: operations["putConversationsByIdHead"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/chat": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** useChat's request: store the new user message (or an edit, or regenerate a reply) and stream the reply as the AI SDK's UI message stream */
        post: operations["postApiChat"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/chat/{id}/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The reply generating now, from its start, then live (204 when none is) */
        get: operations["getApiChatByIdStream"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/chat/{id}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The active branch as UIMessage[] (for useChat({ messages })) */
        get: operations["getApiChatByIdMessages"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/chat/{id}/tree": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every branch as UIMessages with their parents and the head: assistant-ui's message repository (useChatRuntime's messageRepository) */
        get: operations["getApiChatByIdTree"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/chat/{id}/stop": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Stop the reply generating now; what it said so far is stored, marked stopped */
        post: operations["postApiChatByIdStop"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/files": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Store a file (multipart/form-data, field `file`): at most 10485760 bytes (FILES_MAX_BYTES), of a type FILES_TYPES allows; a message file part then names its url */
        post: operations["postFiles"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/files/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A stored file's bytes, to its owner (or a caller acting for every user); anyone else gets 404 */
        get: operations["getFilesById"];
        put?: never;
        post?: never;
        /** Delete a stored file (its owner, or a caller acting for every user); parts naming it then get 404 */
        delete: operations["deleteFilesById"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/assistants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the assistants a conversation may use (end users see the picker fields) */
        get: operations["getAssistants"];
        put?: never;
        /** Create an assistant (API-key callers) */
        post: operations["postAssistants"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/assistants/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One assistant */
        get: operations["getAssistantsById"];
        put?: never;
        post?: never;
        /** Delete an assistant (API-key callers); its conversations go to the default one */
        delete: operations["deleteAssistantsById"];
        options?: never;
        head?: never;
        /** Change an assistant (API-key callers); null removes a setting; applies from the next reply */
        patch: operations["patchAssistantsById"];
        trace?: never;
    };
    "/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Token usage by user, assistant, model and UTC day (a user sees their own) */
        get: operations["getUsage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/quotas/{user_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A user's token limits and use (a user sees their own) */
        get: operations["getQuotasByUserId"];
        /** Set a user's own token limits, replacing the global ones for them (API-key callers) */
        put: operations["putQuotasByUserId"];
        post?: never;
        /** Remove a user's own limits (API-key callers) */
        delete: operations["deleteQuotasByUserId"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/conversations/{id}/tool-calls/{call_id}/result": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Post a client tool's result (the reply waits for it, then goes on) */
        post: operations["postConversationsByIdTool-callsByCallIdResult"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/conversations/{id}/tool-calls/{call_id}/approval": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Approve or deny a tool call that waits for approval (a denial is a result the model sees) */
        post: operations["postConversationsByIdTool-callsByCallIdApproval"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /**
         * @description Error
         * @example {
         *       "detail": "Conversation not found",
         *       "code": "conversation_not_found"
         *     }
         */
        Error: {
            detail: string | {
                loc: (string | number)[];
                msg: string;
                type: string;
            }[];
            code: string;
            request_id?: string;
            /** @description quota_exceeded: when the exhausted quota resets (ISO-8601 UTC) */
            resets_at?: string;
        };
    };
    responses: {
        /** @description Malformed JSON (`invalid_json`), nested too deep (`json_too_deep`), a bad cursor (`invalid_cursor`) or a malformed multipart form (`bad_request`) */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Missing or bad credentials (`unauthorized`) */
        Unauthorized: {
            headers: {
                /** @description The scheme to use */
                "WWW-Authenticate": string;
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Another user's data or a refused origin (`forbidden`) */
        Forbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Unknown conversation, message, assistant or route (`conversation_not_found`, `message_not_found`, `assistant_not_found`, `not_found`) */
        NotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The body did not arrive in time (`request_timeout`) */
        RequestTimeout: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Not possible in the current state (`bot_disabled`, `assistant_exists`, `assistant_read_only` for one the config declares, `tool_call_not_pending`) */
        Conflict: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Body over MAX_BODY_BYTES, or a file over FILES_MAX_BYTES (`payload_too_large`) */
        PayloadTooLarge: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description A body that is not `application/json` (`multipart/form-data` for POST /files), or a file of a type FILES_TYPES does not allow (`unsupported_media_type`) */
        UnsupportedMediaType: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Invalid fields (`validation_error`); `detail` lists them as `{loc, msg, type}` */
        ValidationError: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Over a rate limit (`rate_limited`) or a token quota (`quota_exceeded`, with `resets_at`); `Retry-After` says when to try again */
        RateLimited: {
            headers: {
                /** @description Seconds to wait before trying again */
                "Retry-After": number;
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Unexpected failure (`internal_error`); the body carries `request_id` */
        InternalError: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description A service it depends on is down (`not_ready`, `service_unavailable`), or the bot has BOT_QUEUE_MAX replies waiting (`bot_busy`); `Retry-After` says when to try again */
        Unavailable: {
            headers: {
                /** @description Seconds to wait before trying again */
                "Retry-After"?: number;
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
    };
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getRoot: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        name: "parley";
                        version: string;
                        docs: string;
                        openapi: string;
                        websocket: string[];
                        socket_io: string;
                    };
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "ok";
                        version: string;
                        /** @description Seconds since start */
                        uptime_s: number;
                    };
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    getHealthCheck: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "ok";
                        version: string;
                        /** @description Seconds since start */
                        uptime_s: number;
                    };
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    getHealthReady: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "ok";
                        /** @description Each MCP server: connecting, ready or down, and its tools (not part of readiness) */
                        mcp_servers?: {
                            [key: string]: {
                                state: string;
                                tools: number;
                            };
                        };
                    };
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    getConversations: {
        parameters: {
            query?: {
                /** @description Only this user's conversations */
                user_id?: string;
                /** @description 1-100, default 20 */
                limit?: number;
                /** @description Conversation id: continue after it (next_cursor) */
                before?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Most recently updated first */
                        conversations: {
                            /** @description UUIDv7 */
                            id: string;
                            user_id: string;
                            title: string | null;
                            /** @description Free-form JSON object */
                            metadata: {
                                [key: string]: unknown;
                            };
                            /**
                             * Format: date-time
                             * @description ISO-8601 UTC with milliseconds
                             * @example 2026-11-24T10:00:00.123Z
                             */
                            created_at: string;
                            /**
                             * Format: date-time
                             * @description ISO-8601 UTC with milliseconds
                             * @example 2026-11-24T10:00:00.123Z
                             */
                            updated_at: string;
                            /** @description Messages on the active branch */
                            message_count: number;
                            /** @description The last message of the active branch */
                            head_id: string | null;
                            /** @description Tokens the conversation's replies used */
                            usage: {
                                input_tokens: number;
                                output_tokens: number;
                            };
                            /** @description The assistant that answers it; null: the default */
                            assistant_id: string | null;
                        }[];
                        has_more: boolean;
                        next_cursor: string | null;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            408: components["responses"]["RequestTimeout"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationError"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    postConversations: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Required, except with a user token (then it is the token’s user) */
                    user_id?: string;
                    title?: string | null;
                    /** @description Free-form JSON object */
                    metadata?: {
                        [key: string]: unknown;
                    };
                    /** @description An assistant of GET /assistants */
                    assistant_id?: string;
                } & {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description UUIDv7 */
                        id: string;
                        user_id: string;
                        title: string | null;
                        /** @description Free-form JSON object */
                        metadata: {
                            [key: string]: unknown;
                        };
                        /**
                         * Format: date-time
                         * @description ISO-8601 UTC with milliseconds
                         * @example 2026-11-24T10:00:00.123Z
                         */
                        created_at: string;
                        /**
                         * Format: date-time
                         * @description ISO-8601 UTC with milliseconds
                         * @example 2026-11-24T10:00:00.123Z
                         */
                        updated_at: string;
                        /** @description Messages on the active branch */
                        message_count: number;
                        /** @description The last message of the active branch */
                        head_id: string | null;
                        /** @description Tokens the conversation's replies used */
                        usage: {
                            input_tokens: number;
                            output_tokens: number;
                        };
                        /** @description The assistant that answers it; null: the default */
                        assistant_id: string | null;
                        /** @description The most recent messages, oldest first */
                        messages: {
                            /** @description UUIDv7 */
                            id: string;
                            conversation_id: string;
                            /** @description "user" for the person, "ai" for the bot */
                            sender: "user" | "ai";
                            content: string;
                            /** @description Free-form JSON object */
                            metadata: {
                                [key: string]: unknown;
                            };
                            /** @description For a bot reply: the user message it answers */
                            reply_to: string | null;
                            /** @description The message before it in its branch; null for a first message */
                            parent_id: string | null;
                            /** @description Ids of the messages with the same parent (other versions), this one included, oldest first */
                            siblings: string[];
                            /** @description Typed parts in order; `content` is their text parts concatenated */
                            parts: ({
                                /** @constant */
                                type: "text";
                                text: string;
                            } | {
                                /** @constant */
                                type: "reasoning";
                                text: string;
                            } | {
                                /** @constant */
                                type: "tool-call";
                                /** @description The call id, unique in the message */
                                toolCallId: string;
                                /** @description The tool called */
                                toolName: string;
                                /** @description Any JSON value */
                                input: unknown;
                                /** @description Where the call stands (the AI SDK's tool states) */
                                state: "input-streaming" | "input-available" | "approval-requested" | "approval-responded" | "output-available" | "output-error" | "output-denied";
                                /** @description Any JSON value */
                                output?: unknown;
                                errorText?: string;
                                /** @description How long the call took */
                                durationMs?: number;
                                /** @description A tool that needs approval: the request and the answer */
                                approval?: {
                                    /** @description The approval request */
                                    id: string;
                                    approved?: boolean;
                                    reason?: string;
                                };
                            } | {
                                /** @constant */
                                type: "file";
                                /** @description IANA media type */
                                mediaType: string;
                                /** @description A stored file (`/files/{id}`) or an http(s) URL of at most 8192 characters; a posted base64 data: URL is stored and replaced by its /files URL */
                                url: string;
                                filename?: string;
                            } | {
                                /** @constant */
                                type: "source-url";
                                /** @description The source id */
                                sourceId: string;
                                url: string;
                                title?: string;
                            } | {
                                /** @constant */
                                type: "data";
                                /** @description What the data is, e.g. "weather" */
                                name: string;
                                /** @description Any JSON value */
                                data: unknown;
                            })[];
                            /** @description For a bot reply: how it was made */
                            generation: {
                                /** @description The assistant that replied (absent on replies made before assistants) */
                                assistant_id?: string | null;
                                /** @description The model the provider reported (or was asked for) */
                                model: string | null;
                                /** @description stop, length, content_filter, tool_calls, stopped… */
                                finish_reason: string | null;
                                usage: {
                                    input_tokens: number;
                                    output_tokens: number;
                                    /** @description Counted by Parley (about 4 characters a token), not reported */
                                    estimated: boolean;
                                } | null;
                                /** @description From the start of generation to the stored reply */
                                duration_ms: number;
                            } | null;
                            /**
                             * Format: date-time
                             * @description ISO-8601 UTC with milliseconds
                             * @example 2026-11-24T10:00:00.123Z
                             */
                            created_at: string;
                            /**
                             * Format: date-time
                             * @description ISO-8601 UTC with milliseconds
                             * @example 2026-11-24T10:00:00.123Z
                             */
                            updated_at: string;
                        }[];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            408: components["responses"]["RequestTimeout"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationError"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    getConversationsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description UUIDv7 */
                        id: string;
                        user_id: string;
                        title: string | null;
                        /** @description Free-form JSON object */
                        metadata: {
                            [key: string]: unknown;
                        };
                        /**
                         * Format: date-time
                         * @description ISO-8601 UTC with milliseconds
                         * @example 2026-11-24T10:00:00.123Z
                         */
                        created_at: string;
                        /**
                         * Format: date-time
                         * @description ISO-8601 UTC with milliseconds
                         * @example 2026-11-24T10:00:00.123Z
                         */
                        updated_at: string;
                        /** @description Messages on the active branch */
                        message_count: number;
                        /** @description The last message of the active branch */
                        head_id: string | null;
                        /** @description Tokens the conversation's replies used */
                        usage: {
                            input_tokens: number;
                            output_tokens: number;
                        };
                        /** @description The assistant that answers it; null: the default */
                        assistant_id: string | null;
                        /** @description The most recent messages, oldest first */
                        messages: {
                            /** @description UUIDv7 */
                            id: string;
                            conversation_id: string;
                            /** @description "user" for the person, "ai" for the bot */
                            sender: "user" | "ai";
                            content: string;
                            /** @description Free-form JSON object */
                            metadata: {
                                [key: string]: unknown;
                            };
                            /** @description For a bot reply: the user message it answers */
                            reply_to: string | null;
                            /** @description The message before it in its branch; null for a first message */
                            parent_id: string | null;
                            /** @description Ids of the messages with the same parent (other versions), this one included, oldest first */
                            siblings: string[];
                            /** @description Typed parts in order; `content` is their text parts concatenated */
                            parts: ({
                                /** @constant */
                                type: "text";
                                text: string;
                            } | {
                                /** @constant */
                                type: "reasoning";
                                text: string;
                            } | {
                                /** @constant */
                                type: "tool-call";
                                /** @description The call id, unique in the message */
                                toolCallId: string;
                                /** @description The tool called */
                                toolName: string;
                                /** @description Any JSON value */
                                input: unknown;
                                /** @description Where the call stands (the AI SDK's tool states) */
                                state: "input-streaming" | "input-available" | "approval-requested" | "approval-responded" | "output-available" | "output-error" | "output-denied";
                                /** @description Any JSON value */
                                output?: unknown;
                                errorText?: string;
                                /** @description How long the call took */
                                durationMs?: number;
                                /** @description A tool that needs approval: the request and the answer */
                                approval?: {
                                    /** @description The approval request */
                                    id: string;
                                    approved?: boolean;
                                    reason?: string;
                                };
                            } | {
                                /** @constant */
                                type: "file";
                                /** @description IANA media type */
                                mediaType: string;
                                /** @description A stored file (`/files/{id}`) or an http(s) URL of at most 8192 characters; a posted base64 data: URL is stored and replaced by its /files URL */
                                url: string;
                                filename?: string;
                            } | {
                                /** @constant */
                                type: "source-url";
                                /** @description The source id */
                                sourceId: string;
                                url: string;
                                title?: string;
                            } | {
                                /** @constant */
                                type: "data";
                                /** @description What the data is, e.g. "weather" */
                                name: string;
                                /** @description Any JSON value */
                                data: unknown;
                            })[];
                            /** @description For a bot reply: how it was made */
                            generation: {
                                /** @description The assistant that replied (absent on replies made before assistants) */
                                assistant_id?: string | null;
                                /** @description The model the provider reported (or was asked for) */
                                model: string | null;
                                /** @description stop, length, content_filter, tool_calls, stopped… */
                                finish_reason: string | null;
                                usage: {
                                    input_tokens: number;
                                    output_tokens: number;
                                    /** @description Counted by Parley (about 4 characters a token), not reported */
                                    estimated: boolean;
                                } | null;
                                /** @description From the start of generation to the stored reply */
                                duration_ms: number;
                            } | null;
                            /**
                             * Format: date-time
                             * @description ISO-8601 UTC with milliseconds
                             * @example 2026-11-24T10:00:00.123Z
                             */
                            created_at: string;
                            /**
                             * Format: date-time
                             * @description ISO-8601 UTC with milliseconds
                             * @example 2026-11-24T10:00:00.123Z
                             */
                            updated_at: string;
                        }[];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            408: components["responses"]["RequestTimeout"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationError"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    deleteConversationsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            408: components["responses"]["RequestTimeout"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationError"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    patchConversationsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    title?: string | null;
                    /** @description Free-form JSON object */
                    metadata?: {
                        [key: string]: unknown;
                    };
                    /** @description null: the default assistant */
                    assistant_id?: string | null;
                } & {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description UUIDv7 */
                        id: string;
                        user_id: string;
                        title: string | null;
                        /** @description Free-form JSON object */
                        metadata: {
                            [key: string]: unknown;
                        };
                        /**
                         * Format: date-time
                         * @description ISO-8601 UTC with milliseconds
                         * @example 2026-11-24T10:00:00.123Z
                         */
                        created_at: string;
                        /**
                         * Format: date-time
                         * @description ISO-8601 UTC with milliseconds
                         * @example 2026-11-24T10:00:00.123Z
                         */
                        updated_at: string;
                        /** @description Messages on the active branch */
                        message_count: number;
                        /** @description The last message of the active branch */
                        head_id: string | null;
                        /** @description Tokens the conversation's replies used */
                        usage: {
                            input_tokens: number;
                            output_tokens: number;
                        };
                        /** @description The assistant that answers it; null: the default */
                        assistant_id: string | null;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            408: components["responses"]["RequestTimeout"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationError"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    postConversationsByIdStop: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description A reply was in progress and is stopped */
                        stopped: boolean;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            408: components["responses"]["RequestTimeout"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationError"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    getConversationsByIdMessages: {
        parameters: {
            query?: {
                /** @description Page number, from 1 (page mode) */
                page?: number;
                /** @description Messages per page, 1-100, default 10 (page mode) */
                size?: number;
                /** @description Message id: return messages older than it (cursor mode) */
                before?: string;
                /** @description Messages per page, 1-100, default 10 (cursor mode) */
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Newest first */
                        messages: {
                            /** @description UUIDv7 */
                            id: string;
                            conversation_id: string;
                            /** @description "user" for the person, "ai" for the bot */
                            sender: "user" | "ai";
                            content: string;
                            /** @description Free-form JSON object */
                            metadata: {
                                [key: string]: unknown;
                            };
                            /** @description For a bot reply: the user message it answers */
                            reply_to: string | null;
                            /** @description The message before it in its branch; null for a first message */
                            parent_id: string | null;
                            /** @description Ids of the messages with the same parent (other versions), this one included, oldest first */
                            siblings: string[];
                            /** @description Typed parts in order; `content` is their text parts concatenated */
                            parts: ({
                                /** @constant */
                                type: "text";
                                text: string;
                            } | {
                                /** @constant */
                                type: "reasoning";
                                text: string;
                            } | {
                                /** @constant */
                                type: "tool-call";
                                /** @description The call id, unique in the message */
                                toolCallId: string;
                                /** @description The tool called */
                                toolName: string;
                                /** @description Any JSON value */
                                input: unknown;
                                /** @description Where the call stands (the AI SDK's tool states) */
                                state: "input-streaming" | "input-available" | "approval-requested" | "approval-responded" | "output-available" | "output-error" | "output-denied";
                                /** @description Any JSON value */
                                output?: unknown;
                                errorText?: string;
                                /** @description How long the call took */
                                durationMs?: number;
                                /** @description A tool that needs approval: the request and the answer */
                                approval?: {
                                    /** @description The approval request */
                                    id: string;
                                    approved?: boolean;
                                    reason?: string;
                                };
                            } | {
                                /** @constant */
                                type: "file";
                                /** @description IANA media type */
                                mediaType: string;
                                /** @description A stored file (`/files/{id}`) or an http(s) URL of at most 8192 characters; a posted base64 data: URL is stored and replaced by its /files URL */
                                url: string;
                                filename?: string;
                            } | {
                                /** @constant */
                                type: "source-url";
                                /** @description The source id */
                                sourceId: string;
                                url: string;
                                title?: string;
                            } | {
                                /** @constant */
                                type: "data";
                                /** @description What the data is, e.g. "weather" */
                                name: string;
                                /** @description Any JSON value */
                                data: unknown;
                            })[];
                            /** @description For a bot reply: how it was made */
                            generation: {
                                /** @description The assistant that replied (absent on replies made before assistants) */
                                assistant_id?: string | null;
                                /** @description The model the provider reported (or was asked for) */
                                model: string | null;
                                /** @description stop, length, content_filter, tool_calls, stopped… */
                                finish_reason: string | null;
                                usage: {
                                    input_tokens: number;
                                    output_tokens: number;
                                    /** @description Counted by Parley (about 4 characters a token), not reported */
                                    estimated: boolean;
                                } | null;
                                /** @description From the start of generation to the stored reply */
                                duration_ms: number;
                            } | null;
                            /**
                             * Format: date-time
                             * @description ISO-8601 UTC with milliseconds
                             * @example 2026-11-24T10:00:00.123Z
                             */
                            created_at: string;
                            /**
                             * Format: date-time
                             * @description ISO-8601 UTC with milliseconds
                             * @example 2026-11-24T10:00:00.123Z
                             */
                            updated_at: string;
                        }[];
                        /** @description Messages in the conversation */
                        total: number;
                        /** @description Older messages exist beyond this page */
                        has_more: boolean;
                        /** @description Pass as `before` to get the next (older) page */
                        next_cursor: string | null;
                        page?: number;
                        size?: number;
                        pages?: number;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            408: components["responses"]["RequestTimeout"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationError"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    postConversationsByIdMessages: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description "user" for the person, "ai" for the bot */
                    sender: "user" | "ai";
                    /** @description 1 to 32768 characters; required unless `parts` are given */
                    content?: string;
                    /** @description Typed parts instead of `content` (which becomes their text, concatenated) */
                    parts?: ({
                        /** @constant */
                        type: "text";
                        text: string;
                    } | {
                        /** @constant */
                        type: "reasoning";
                        text: string;
                    } | {
                        /** @constant */
                        type: "tool-call";
                        /** @description The call id, unique in the message */
                        toolCallId: string;
                        /** @description The tool called */
                        toolName: string;
                        /** @description Any JSON value */
                        input: unknown;
                        /** @description Where the call stands (the AI SDK's tool states) */
                        state: "input-streaming" | "input-available" | "approval-requested" | "approval-responded" | "output-available" | "output-error" | "output-denied";
                        /** @description Any JSON value */
                        output?: unknown;
                        errorText?: string;
                        /** @description How long the call took */
                        durationMs?: number;
                        /** @description A tool that needs approval: the request and the answer */
                        approval?: {
                            /** @description The approval request */
                            id: string;
                            approved?: boolean;
                            reason?: string;
                        };
                    } | {
                        /** @constant */
                        type: "file";
                        /** @description IANA media type */
                        mediaType: string;
                        /** @description A stored file (`/files/{id}`) or an http(s) URL of at most 8192 characters; a posted base64 data: URL is stored and replaced by its /files URL */
                        url: string;
                        filename?: string;
                    } | {
                        /** @constant */
                        type: "source-url";
                        /** @description The source id */
                        sourceId: string;
                        url: string;
                        title?: string;
                    } | {
                        /** @constant */
                        type: "data";
                        /** @description What the data is, e.g. "weather" */
                        name: string;
                        /** @description Any JSON value */
                        data: unknown;
                    })[];
                    /** @description Omitted: appended to the active branch. A message id: a new branch after that message (to edit a question, its parent_id), made active. null: a new first message. */
                    parent_id?: string | null;
                    /** @description Free-form JSON object */
                    metadata?: {
                        [key: string]: unknown;
                    };
                    /** @description Have the bot answer this user message (implied by Accept: text/event-stream) */
                    reply?: boolean;
                    /** @description Tools of this reply the client runs: it gets the call and posts the result (docs/tools.md) */
                    client_tools?: {
                        name: string;
                        description?: string;
                        parameters?: {
                            [key: string]: unknown;
                        };
                    }[];
                    /** @description Idempotency key: a retry with the same key stores nothing new */
                    client_id?: string;
                } & {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description With `Accept: text/event-stream`: Server-Sent Events `message` (the stored message), `delta`…, `message` (the stored reply), `done`, or `error` before `done` */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description UUIDv7 */
                        id: string;
                        conversation_id: string;
                        /** @description "user" for the person, "ai" for the bot */
                        sender: "user" | "ai";
                        content: string;
                        /** @description Free-form JSON object */
                        metadata: {
                            [key: string]: unknown;
                        };
                        /** @description For a bot reply: the user message it answers */
                        reply_to: string | null;
                        /** @description The message before it in its branch; null for a first message */
                        parent_id: string | null;
                        /** @description Ids of the messages with the same parent (other versions), this one included, oldest first */
                        siblings: string[];
                        /** @description Typed parts in order; `content` is their text parts concatenated */
                        parts: ({
                            /** @constant */
                            type: "text";
                            text: string;
                        } | {
                            /** @constant */
                            type: "reasoning";
                            text: string;
                        } | {
                            /** @constant */
                            type: "tool-call";
                            /** @description The call id, unique in the message */
                            toolCallId: string;
                            /** @description The tool called */
                            toolName: string;
                            /** @description Any JSON value */
                            input: unknown;
                            /** @description Where the call stands (the AI SDK's tool states) */
                            state: "input-streaming" | "input-available" | "approval-requested" | "approval-responded" | "output-available" | "output-error" | "output-denied";
                            /** @description Any JSON value */
                            output?: unknown;
                            errorText?: string;
                            /** @description How long the call took */
                            durationMs?: number;
                            /** @description A tool that needs approval: the request and the answer */
                            approval?: {
                                /** @description The approval request */
                                id: string;
                                approved?: boolean;
                                reason?: string;
                            };
                        } | {
                            /** @constant */
                            type: "file";
                            /** @description IANA media type */
                            mediaType: string;
                            /** @description A stored file (`/files/{id}`) or an http(s) URL of at most 8192 characters; a posted base64 data: URL is stored and replaced by its /files URL */
                            url: string;
                            filename?: string;
                        } | {
                            /** @constant */
                            type: "source-url";
                            /** @description The source id */
                            sourceId: string;
                            url: string;
                            title?: string;
                        } | {
                            /** @constant */
                            type: "data";
                            /** @description What the data is, e.g. "weather" */
                            name: string;
                            /** @description Any JSON value */
                            data: unknown;
                        })[];
                        /** @description For a bot reply: how it was made */
                        generation: {
                            /** @description The assistant that replied (absent on replies made before assistants) */
                            assistant_id?: string | null;
                            /** @description The model the provider reported (or was asked for) */
                            model: string | null;
                            /** @description stop, length, content_filter, tool_calls, stopped… */
                            finish_reason: string | null;
                            usage: {
                                input_tokens: number;
                                output_tokens: number;
                                /** @description Counted by Parley (about 4 characters a token), not reported */
                                estimated: boolean;
                            } | null;
                            /** @description From the start of generation to the stored reply */
                            duration_ms: number;
                        } | null;
                        /**
                         * Format: date-time
                         * @description ISO-8601 UTC with milliseconds
                         * @example 2026-11-24T10:00:00.123Z
                         */
                        created_at: string;
                        /**
                         * Format: date-time
                         * @description ISO-8601 UTC with milliseconds
                         * @example 2026-11-24T10:00:00.123Z
                         */
                        updated_at: string;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            408: components["responses"]["RequestTimeout"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationError"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    postConversationsByIdMessagesByMessageIdRegenerate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                message_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description With `Accept: text/event-stream`: Server-Sent Events `message` (the stored message), `delta`…, `message` (the stored reply), `done`, or `error` before `done` */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description Accepted */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The user message being answered again */
                        reply_to: string;
                        /** @constant */
                        status: "queued";
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            408: components["responses"]["RequestTimeout"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationError"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    putConversationsByIdMessagesByMessageId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                message_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description 1 to 32768 characters */
                    content: string;
                } & {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description UUIDv7 */
                        id: string;
                        conversation_id: string;
                        /** @description "user" for the person, "ai" for the bot */
                        sender: "user" | "ai";
                        content: string;
                        /** @description Free-form JSON object */
                        metadata: {
                            [key: string]: unknown;
                        };
                        /** @description For a bot reply: the user message it answers */
                        reply_to: string | null;
                        /** @description The message before it in its branch; null for a first message */
                        parent_id: string | null;
                        /** @description Ids of the messages with the same parent (other versions), this one included, oldest first */
                        siblings: string[];
                        /** @description Typed parts in order; `content` is their text parts concatenated */
                        parts: ({
                            /** @constant */
                            type: "text";
                            text: string;
                        } | {
                            /** @constant */
                            type: "reasoning";
                            text: string;
                        } | {
                            /** @constant */
                            type: "tool-call";
                            /** @description The call id, unique in the message */
                            toolCallId: string;
                            /** @description The tool called */
                            toolName: string;
                            /** @description Any JSON value */
                            input: unknown;
                            /** @description Where the call stands (the AI SDK's tool states) */
                            state: "input-streaming" | "input-available" | "approval-requested" | "approval-responded" | "output-available" | "output-error" | "output-denied";
                            /** @description Any JSON value */
                            output?: unknown;
                            errorText?: string;
                            /** @description How long the call took */
                            durationMs?: number;
                            /** @description A tool that needs approval: the request and the answer */
                            approval?: {
                                /** @description The approval request */
                                id: string;
                                approved?: boolean;
                                reason?: string;
                            };
                        } | {
                            /** @constant */
                            type: "file";
                            /** @description IANA media type */
                            mediaType: string;
                            /** @description A stored file (`/files/{id}`) or an http(s) URL of at most 8192 characters; a posted base64 data: URL is stored and replaced by its /files URL */
                            url: string;
                            filename?: string;
                        } | {
                            /** @constant */
                            type: "source-url";
                            /** @description The source id */
                            sourceId: string;
                            url: string;
                            title?: string;
                        } | {
                            /** @constant */
                            type: "data";
                            /** @description What the data is, e.g. "weather" */
                            name: string;
                            /** @description Any JSON value */
                            data: unknown;
                        })[];
                        /** @description For a bot reply: how it was made */
                        generation: {
                            /** @description The assistant that replied (absent on replies made before assistants) */
                            assistant_id?: string | null;
                            /** @description The model the provider reported (or was asked for) */
                            model: string | null;
                            /** @description stop, length, content_filter, tool_calls, stopped… */
                            finish_reason: string | null;
                            usage: {
                                input_tokens: number;
                                output_tokens: number;
                                /** @description Counted by Parley (about 4 characters a token), not reported */
                                estimated: boolean;
                            } | null;
                            /** @description From the start of generation to the stored reply */
                            duration_ms: number;
                        } | null;
                        /**
                         * Format: date-time
                         * @description ISO-8601 UTC with milliseconds
                         * @example 2026-11-24T10:00:00.123Z
                         */
                        created_at: string;
                        /**
                         * Format: date-time
                         * @description ISO-8601 UTC with milliseconds
                         * @example 2026-11-24T10:00:00.123Z
                         */
                        updated_at: string;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            408: components["responses"]["RequestTimeout"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationError"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    deleteConversationsByIdMessagesByMessageId: {
        parameters: {
            query?: {
                /** @description true: delete the message and every message below it (a whole branch) */
                subtree?: "true" | "false";
            };
            header?: never;
            path: {
                id: string;
                message_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            408: components["responses"]["RequestTimeout"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationError"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    getConversationsByIdTree: {
        parameters: {
            query?: {
                /** @description Message id: continue after it (next_cursor) */
                after?: string;
                /** @description Messages per page, 1-1000, default 500 */
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The last message of the active branch */
                        head_id: string | null;
                        /** @description Every message (each with its parent_id), in the order stored: parents before children */
                        messages: {
                            /** @description UUIDv7 */
                            id: string;
                            conversation_id: string;
                            /** @description "user" for the person, "ai" for the bot */
                            sender: "user" | "ai";
                            content: string;
                            /** @description Free-form JSON object */
                            metadata: {
                                [key: string]: unknown;
                            };
                            /** @description For a bot reply: the user message it answers */
                            reply_to: string | null;
                            /** @description The message before it in its branch; null for a first message */
                            parent_id: string | null;
                            /** @description Ids of the messages with the same parent (other versions), this one included, oldest first */
                            siblings: string[];
                            /** @description Typed parts in order; `content` is their text parts concatenated */
                            parts: ({
                                /** @constant */
                                type: "text";
                                text: string;
                            } | {
                                /** @constant */
                                type: "reasoning";
                                text: string;
                            } | {
                                /** @constant */
                                type: "tool-call";
                                /** @description The call id, unique in the message */
                                toolCallId: string;
                                /** @description The tool called */
                                toolName: string;
                                /** @description Any JSON value */
                                input: unknown;
                                /** @description Where the call stands (the AI SDK's tool states) */
                                state: "input-streaming" | "input-available" | "approval-requested" | "approval-responded" | "output-available" | "output-error" | "output-denied";
                                /** @description Any JSON value */
                                output?: unknown;
                                errorText?: string;
                                /** @description How long the call took */
                                durationMs?: number;
                                /** @description A tool that needs approval: the request and the answer */
                                approval?: {
                                    /** @description The approval request */
                                    id: string;
                                    approved?: boolean;
                                    reason?: string;
                                };
                            } | {
                                /** @constant */
                                type: "file";
                                /** @description IANA media type */
                                mediaType: string;
                                /** @description A stored file (`/files/{id}`) or an http(s) URL of at most 8192 characters; a posted base64 data: URL is stored and replaced by its /files URL */
                                url: string;
                                filename?: string;
                            } | {
                                /** @constant */
                                type: "source-url";
                                /** @description The source id */
                                sourceId: string;
                                url: string;
                                title?: string;
                            } | {
                                /** @constant */
                                type: "data";
                                /** @description What the data is, e.g. "weather" */
                                name: string;
                                /** @description Any JSON value */
                                data: unknown;
                            })[];
                            /** @description For a bot reply: how it was made */
                            generation: {
                                /** @description The assistant that replied (absent on replies made before assistants) */
                                assistant_id?: string | null;
                                /** @description The model the provider reported (or was asked for) */
                                model: string | null;
                                /** @description stop, length, content_filter, tool_calls, stopped… */
                                finish_reason: string | null;
                                usage: {
                                    input_tokens: number;
                                    output_tokens: number;
                                    /** @description Counted by Parley (about 4 characters a token), not reported */
                                    estimated: boolean;
                                } | null;
                                /** @description From the start of generation to the stored reply */
                                duration_ms: number;
                            } | null;
                            /**
                             * Format: date-time
                             * @description ISO-8601 UTC with milliseconds
                             * @example 2026-11-24T10:00:00.123Z
                             */
                            created_at: string;
                            /**
                             * Format: date-time
                             * @description ISO-8601 UTC with milliseconds
                             * @example 2026-11-24T10:00:00.123Z
                             */
                            updated_at: string;
                        }[];
                        has_more: boolean;
                        /** @description Pass as `after` for the next page */
                        next_cursor: string | null;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            408: components["responses"]["RequestTimeout"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationError"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    putConversationsByIdHead: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description A message: the head moves to the newest leaf below it (itself when it has none) */
                    message_id: string;
                } & {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The new head: the last message of the active branch */
                        head_id: string;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            408: components["responses"]["RequestTimeout"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationError"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    postApiChat: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description The chat id (chosen by the client, or a Parley conversation id) */
                    id: string;
                    /** @description The client's copy; only its last user message is read */
                    messages: ({
                        /** @description The message's id */
                        id: string;
                        role: "user" | "assistant" | "system";
                        metadata?: unknown;
                        parts: ({
                            type: string;
                        } & {
                            [key: string]: unknown;
                        })[];
                    } & {
                        [key: string]: unknown;
                    })[];
                    trigger: "submit-message" | "regenerate-message";
                    /** @description submit: the user message being edited; regenerate: the reply being redone */
                    messageId?: string;
                    /** @description Open mode and API keys: whose chat it is */
                    user_id?: string;
                    /** @description Tools of this reply the client runs (useChat's onToolCall, then addToolResult) */
                    client_tools?: {
                        name: string;
                        description?: string;
                        parameters?: {
                            [key: string]: unknown;
                        };
                    }[];
                } & {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description With `Accept: text/event-stream`: Server-Sent Events `message` (the stored message), `delta`…, `message` (the stored reply), `done`, or `error` before `done` */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            408: components["responses"]["RequestTimeout"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationError"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    getApiChatByIdStream: {
        parameters: {
            query?: {
                /** @description Open mode and API keys: whose chat it is */
                user_id?: string;
            };
            header?: never;
            path: {
                /** @description The chat id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description With `Accept: text/event-stream`: Server-Sent Events `message` (the stored message), `delta`…, `message` (the stored reply), `done`, or `error` before `done` */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description No reply is generating */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            408: components["responses"]["RequestTimeout"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationError"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    getApiChatByIdMessages: {
        parameters: {
            query?: {
                /** @description Open mode and API keys: whose chat it is */
                user_id?: string;
            };
            header?: never;
            path: {
                /** @description The chat id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        role: "user" | "assistant";
                        metadata: {
                            [key: string]: unknown;
                        };
                        parts: ({
                            type: string;
                        } & {
                            [key: string]: unknown;
                        })[];
                    }[];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            408: components["responses"]["RequestTimeout"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationError"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    getApiChatByIdTree: {
        parameters: {
            query?: {
                /** @description Open mode and API keys: whose chat it is */
                user_id?: string;
            };
            header?: never;
            path: {
                /** @description The chat id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        headId: string | null;
                        messages: {
                            message: {
                                id: string;
                                role: "user" | "assistant";
                                metadata: {
                                    [key: string]: unknown;
                                };
                                parts: ({
                                    type: string;
                                } & {
                                    [key: string]: unknown;
                                })[];
                            };
                            parentId: string | null;
                        }[];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            408: components["responses"]["RequestTimeout"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationError"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    postApiChatByIdStop: {
        parameters: {
            query?: {
                /** @description Open mode and API keys: whose chat it is */
                user_id?: string;
            };
            header?: never;
            path: {
                /** @description The chat id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description A reply was generating and is stopped */
                        stopped: boolean;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            408: components["responses"]["RequestTimeout"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationError"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    postFiles: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": {
                    /**
                     * Format: binary
                     * @description The file: its part’s Content-Type is its media type, its filename (if any) is kept
                     */
                    file: string;
                    /** @description Who owns it: required, except with a user token (then it is the token’s user) */
                    user_id?: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description UUIDv7 */
                        id: string;
                        /** @description Where the file is served (`/files/{id}`); a message file part names it */
                        url: string;
                        /** @description Its media type, lowercase, without parameters */
                        media_type: string;
                        /** @description Bytes */
                        size: number;
                        /** @description The name of the upload's file part, if it had one */
                        filename: string | null;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            408: components["responses"]["RequestTimeout"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationError"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    getFilesById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The stored bytes, with their media type */
            200: {
                headers: {
                    /** @description `inline` for images, `attachment` otherwise; the name as `filename` and `filename*` */
                    "Content-Disposition": string;
                    /** @description A file never changes: `private`, kept a year */
                    "Cache-Control"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "image/png": string;
                    "image/jpeg": string;
                    "image/gif": string;
                    "image/webp": string;
                    "application/pdf": string;
                    "text/plain": string;
                    "text/markdown": string;
                    "text/csv": string;
                    "application/json": string;
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            408: components["responses"]["RequestTimeout"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationError"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    deleteFilesById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            408: components["responses"]["RequestTimeout"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationError"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    getAssistants: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Declared in the config first, then created over the API */
                        assistants: {
                            /** @description Shown in model pickers */
                            name: string;
                            description?: string;
                            /** @description The provider that generates its replies */
                            provider?: string;
                            /** @description Default: the provider's model */
                            model?: string;
                            /** @description Instructions sent before the history */
                            system_prompt?: string;
                            temperature?: number;
                            max_tokens?: number;
                            history_messages?: number;
                            history_chars?: number;
                            /** @description Shown by front-ends before the first message */
                            greeting?: string;
                            suggestions?: string[];
                            metadata?: {
                                [key: string]: unknown;
                            };
                            quota?: {
                                tokens_per_day?: number | null;
                                tokens_per_month?: number | null;
                            };
                            /** @description Tools it may call: an HTTP tool, "server.tool" of an MCP server, or "server.*" for all of them */
                            tools?: string[];
                            /** @description Model calls in one reply, tool rounds included (default 8) */
                            max_steps?: number;
                            /** @description Stable id, used in conversations (assistant_id) */
                            id: string;
                            /** @description Answers conversations without an assistant_id */
                            default: boolean;
                            /** @description Operators only */
                            source?: "config" | "api";
                            /**
                             * Format: date-time
                             * @description ISO-8601 UTC with milliseconds
                             * @example 2026-11-24T10:00:00.123Z
                             */
                            created_at?: string;
                            /**
                             * Format: date-time
                             * @description ISO-8601 UTC with milliseconds
                             * @example 2026-11-24T10:00:00.123Z
                             */
                            updated_at?: string;
                        }[];
                        default_id: string | null;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            408: components["responses"]["RequestTimeout"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationError"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    postAssistants: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Stable id, used in conversations (assistant_id) */
                    id: string;
                    /** @description Shown in model pickers */
                    name: string;
                    description?: string;
                    /** @description The provider that generates its replies */
                    provider: string;
                    /** @description Default: the provider's model */
                    model?: string;
                    /** @description Instructions sent before the history */
                    system_prompt?: string;
                    temperature?: number;
                    max_tokens?: number;
                    history_messages?: number;
                    history_chars?: number;
                    /** @description Shown by front-ends before the first message */
                    greeting?: string;
                    suggestions?: string[];
                    metadata?: {
                        [key: string]: unknown;
                    };
                    quota?: {
                        tokens_per_day?: number | null;
                        tokens_per_month?: number | null;
                    };
                    /** @description Tools it may call: an HTTP tool, "server.tool" of an MCP server, or "server.*" for all of them */
                    tools?: string[];
                    /** @description Model calls in one reply, tool rounds included (default 8) */
                    max_steps?: number;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Shown in model pickers */
                        name: string;
                        description?: string;
                        /** @description The provider that generates its replies */
                        provider?: string;
                        /** @description Default: the provider's model */
                        model?: string;
                        /** @description Instructions sent before the history */
                        system_prompt?: string;
                        temperature?: number;
                        max_tokens?: number;
                        history_messages?: number;
                        history_chars?: number;
                        /** @description Shown by front-ends before the first message */
                        greeting?: string;
                        suggestions?: string[];
                        metadata?: {
                            [key: string]: unknown;
                        };
                        quota?: {
                            tokens_per_day?: number | null;
                            tokens_per_month?: number | null;
                        };
                        /** @description Tools it may call: an HTTP tool, "server.tool" of an MCP server, or "server.*" for all of them */
                        tools?: string[];
                        /** @description Model calls in one reply, tool rounds included (default 8) */
                        max_steps?: number;
                        /** @description Stable id, used in conversations (assistant_id) */
                        id: string;
                        /** @description Answers conversations without an assistant_id */
                        default: boolean;
                        /** @description Operators only */
                        source?: "config" | "api";
                        /**
                         * Format: date-time
                         * @description ISO-8601 UTC with milliseconds
                         * @example 2026-11-24T10:00:00.123Z
                         */
                        created_at?: string;
                        /**
                         * Format: date-time
                         * @description ISO-8601 UTC with milliseconds
                         * @example 2026-11-24T10:00:00.123Z
                         */
                        updated_at?: string;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            408: components["responses"]["RequestTimeout"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationError"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    getAssistantsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Shown in model pickers */
                        name: string;
                        description?: string;
                        /** @description The provider that generates its replies */
                        provider?: string;
                        /** @description Default: the provider's model */
                        model?: string;
                        /** @description Instructions sent before the history */
                        system_prompt?: string;
                        temperature?: number;
                        max_tokens?: number;
                        history_messages?: number;
                        history_chars?: number;
                        /** @description Shown by front-ends before the first message */
                        greeting?: string;
                        suggestions?: string[];
                        metadata?: {
                            [key: string]: unknown;
                        };
                        quota?: {
                            tokens_per_day?: number | null;
                            tokens_per_month?: number | null;
                        };
                        /** @description Tools it may call: an HTTP tool, "server.tool" of an MCP server, or "server.*" for all of them */
                        tools?: string[];
                        /** @description Model calls in one reply, tool rounds included (default 8) */
                        max_steps?: number;
                        /** @description Stable id, used in conversations (assistant_id) */
                        id: string;
                        /** @description Answers conversations without an assistant_id */
                        default: boolean;
                        /** @description Operators only */
                        source?: "config" | "api";
                        /**
                         * Format: date-time
                         * @description ISO-8601 UTC with milliseconds
                         * @example 2026-11-24T10:00:00.123Z
                         */
                        created_at?: string;
                        /**
                         * Format: date-time
                         * @description ISO-8601 UTC with milliseconds
                         * @example 2026-11-24T10:00:00.123Z
                         */
                        updated_at?: string;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            408: components["responses"]["RequestTimeout"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationError"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    deleteAssistantsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            408: components["responses"]["RequestTimeout"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationError"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    patchAssistantsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string | null;
                    description?: string | null;
                    provider?: string | null;
                    model?: string | null;
                    system_prompt?: string | null;
                    temperature?: number | null;
                    max_tokens?: number | null;
                    history_messages?: number | null;
                    history_chars?: number | null;
                    greeting?: string | null;
                    suggestions?: string[] | null;
                    metadata?: {
                        [key: string]: unknown;
                    } | null;
                    quota?: {
                        tokens_per_day?: number | null;
                        tokens_per_month?: number | null;
                    } | null;
                    tools?: string[] | null;
                    max_steps?: number | null;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Shown in model pickers */
                        name: string;
                        description?: string;
                        /** @description The provider that generates its replies */
                        provider?: string;
                        /** @description Default: the provider's model */
                        model?: string;
                        /** @description Instructions sent before the history */
                        system_prompt?: string;
                        temperature?: number;
                        max_tokens?: number;
                        history_messages?: number;
                        history_chars?: number;
                        /** @description Shown by front-ends before the first message */
                        greeting?: string;
                        suggestions?: string[];
                        metadata?: {
                            [key: string]: unknown;
                        };
                        quota?: {
                            tokens_per_day?: number | null;
                            tokens_per_month?: number | null;
                        };
                        /** @description Tools it may call: an HTTP tool, "server.tool" of an MCP server, or "server.*" for all of them */
                        tools?: string[];
                        /** @description Model calls in one reply, tool rounds included (default 8) */
                        max_steps?: number;
                        /** @description Stable id, used in conversations (assistant_id) */
                        id: string;
                        /** @description Answers conversations without an assistant_id */
                        default: boolean;
                        /** @description Operators only */
                        source?: "config" | "api";
                        /**
                         * Format: date-time
                         * @description ISO-8601 UTC with milliseconds
                         * @example 2026-11-24T10:00:00.123Z
                         */
                        created_at?: string;
                        /**
                         * Format: date-time
                         * @description ISO-8601 UTC with milliseconds
                         * @example 2026-11-24T10:00:00.123Z
                         */
                        updated_at?: string;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            408: components["responses"]["RequestTimeout"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationError"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    getUsage: {
        parameters: {
            query?: {
                /** @description A user sees only their own */
                user_id?: string;
                assistant_id?: string;
                model?: string;
                /** @description First UTC day */
                from?: string;
                /** @description Last UTC day */
                to?: string;
                /** @description Rows, 1-1000, default 100 */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Newest day first; at most `limit` */
                        rows: {
                            user_id: string;
                            /** @description UTC day, YYYY-MM-DD */
                            day: string;
                            /** @description '' for replies made before assistants */
                            assistant_id: string;
                            model: string;
                            input_tokens: number;
                            output_tokens: number;
                            replies: number;
                        }[];
                        /** @description Over every matching row */
                        totals: {
                            input_tokens: number;
                            output_tokens: number;
                            replies: number;
                        };
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            408: components["responses"]["RequestTimeout"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationError"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    getQuotasByUserId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        user_id: string;
                        /** @description The user's own limits (null: the global ones apply) */
                        limits: {
                            tokens_per_day?: number | null;
                            tokens_per_month?: number | null;
                            assistants?: {
                                [key: string]: {
                                    tokens_per_day?: number | null;
                                    tokens_per_month?: number | null;
                                };
                            };
                        } | null;
                        /** @description 0: no limit */
                        global: {
                            tokens_per_day: number;
                            tokens_per_month: number;
                        };
                        /** @description Tokens over all assistants */
                        used: {
                            today: number;
                            this_month: number;
                        };
                        resets: {
                            /**
                             * Format: date-time
                             * @description ISO-8601 UTC with milliseconds
                             * @example 2026-11-24T10:00:00.123Z
                             */
                            day: string;
                            /**
                             * Format: date-time
                             * @description ISO-8601 UTC with milliseconds
                             * @example 2026-11-24T10:00:00.123Z
                             */
                            month: string;
                        };
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            408: components["responses"]["RequestTimeout"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationError"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    putQuotasByUserId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    tokens_per_day?: number | null;
                    tokens_per_month?: number | null;
                    assistants?: {
                        [key: string]: {
                            tokens_per_day?: number | null;
                            tokens_per_month?: number | null;
                        };
                    };
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        user_id: string;
                        /** @description The user's own limits (null: the global ones apply) */
                        limits: {
                            tokens_per_day?: number | null;
                            tokens_per_month?: number | null;
                            assistants?: {
                                [key: string]: {
                                    tokens_per_day?: number | null;
                                    tokens_per_month?: number | null;
                                };
                            };
                        } | null;
                        /** @description 0: no limit */
                        global: {
                            tokens_per_day: number;
                            tokens_per_month: number;
                        };
                        /** @description Tokens over all assistants */
                        used: {
                            today: number;
                            this_month: number;
                        };
                        resets: {
                            /**
                             * Format: date-time
                             * @description ISO-8601 UTC with milliseconds
                             * @example 2026-11-24T10:00:00.123Z
                             */
                            day: string;
                            /**
                             * Format: date-time
                             * @description ISO-8601 UTC with milliseconds
                             * @example 2026-11-24T10:00:00.123Z
                             */
                            month: string;
                        };
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            408: components["responses"]["RequestTimeout"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationError"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    deleteQuotasByUserId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            408: components["responses"]["RequestTimeout"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationError"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    "postConversationsByIdTool-callsByCallIdResult": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                call_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description The client tool's output (JSON) */
                    output?: unknown;
                    /** @description The tool failed: the model sees this */
                    error?: string;
                } & {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description Handed to the paused call */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        accepted: true;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            408: components["responses"]["RequestTimeout"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationError"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    "postConversationsByIdTool-callsByCallIdApproval": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                call_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    approved: boolean;
                    /** @description Shown to the model when denied */
                    reason?: string;
                } & {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description Handed to the paused call */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        accepted: true;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            408: components["responses"]["RequestTimeout"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationError"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
}
