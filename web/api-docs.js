// Starts Swagger UI (served locally from the swagger-ui-dist npm package) on /openapi.json.
// A separate file rather than an inline script, so the Content-Security-Policy can forbid inline scripts.
window.addEventListener("DOMContentLoaded", () => {
  window.ui = window.SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    tryItOutEnabled: true,
  });
});
