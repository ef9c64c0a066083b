// Starts GraphiQL from files the gateway serves itself: a separate file, because the CSP forbids inline scripts.
;(function () {
  'use strict'
  var root = document.getElementById('graphiql')
  var endpoint = root.getAttribute('data-endpoint') || '/graphql'

  // The prefilled Authorization header is a hint, not a token: it is never sent, so the schema still loads.
  var TOKEN_HINT = 'Bearer <paste your access token here>'
  var DEFAULT_HEADERS = JSON.stringify({ Authorization: TOKEN_HINT }, null, 2)
  var DEFAULT_QUERY = [
    '# Who am I? Put your access token in the Headers tab below',
    '# (replace the <…> hint), then press the run button or Ctrl-Enter.',
    'query Me {',
    '  me {',
    '    id',
    '    email',
    '    name',
    '    lastName',
    '    orgId',
    '    orgRole',
    '    orgRoleDescription',
    '    orgRoles',
    '  }',
    '}',
    '',
  ].join('\n')

  function withoutHint(headers) {
    var out = {}
    Object.keys(headers || {}).forEach(function (name) {
      var value = headers[name]
      if (name.toLowerCase() === 'authorization' && /^Bearer\s*(<.*>)?\s*$/i.test(String(value))) return
      out[name] = value
    })
    return out
  }

  var fetchGraphQL = GraphiQL.createFetcher({ url: endpoint })
  function fetcher(params, options) {
    var opts = Object.assign({}, options, { headers: withoutHint(options && options.headers) })
    return fetchGraphQL(params, opts)
  }

  function render(schema) {
    ReactDOM.createRoot(root).render(
      React.createElement(GraphiQL, {
        fetcher: fetcher,
        schema: schema,
        defaultQuery: DEFAULT_QUERY,
        defaultHeaders: DEFAULT_HEADERS,
        defaultEditorToolsVisibility: 'headers',
        // Tokens stay out of localStorage.
        shouldPersistHeaders: false,
        isHeadersEditorEnabled: true,
        visiblePlugin: GraphiQL.React.DOC_EXPLORER_PLUGIN,
      }),
    )
  }

  // GraphiQL introspects the schema itself (the depth limits let its introspection query through).
  render(undefined)
})()
