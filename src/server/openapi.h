// The OpenAPI 3 document of the REST API, served at /openapi.json and read by /api/docs.
#pragma once

#include <nlohmann/json.hpp>

namespace dd::server {

// The document describing every route of the server (built once, then reused).
const nlohmann::json& openapi_document();

}  // namespace dd::server
