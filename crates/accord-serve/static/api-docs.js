// Starts Swagger UI (vendored, see SOURCES.md) on the API documentation
// page, reading Accord's OpenAPI document. A file, not inline script: the
// Content-Security-Policy allows scripts from this server only.
window.addEventListener('DOMContentLoaded', () => {
  const root = document.getElementById('swagger-ui');
  window.SwaggerUIBundle({
    url: root.dataset.spec,
    domNode: root,
    deepLinking: true,
    tryItOutEnabled: false,
  });
  root.dataset.rendered = '1';
});
