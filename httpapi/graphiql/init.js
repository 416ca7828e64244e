// Starts GraphiQL on the page's #graphiql element, for the endpoint named in its data-endpoint.
// Kept out of the page so that the page's Content-Security-Policy needs no inline script.
(function () {
  'use strict';
  var root = document.getElementById('graphiql');
  var endpoint = root.dataset.endpoint;
  var ws = location.protocol === 'https:' ? 'wss:' : 'ws:';
  // The headers the user types in the Headers tab go with every request, and over the websocket
  // as the connection_init payload, which is where the server reads a subscription's token.
  var fetcher = GraphiQL.createFetcher({
    url: location.protocol + '//' + location.host + endpoint,
    subscriptionUrl: ws + '//' + location.host + endpoint,
  });
  ReactDOM.createRoot(root).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: true,
      inputValueDeprecation: true,
    })
  );
})();
