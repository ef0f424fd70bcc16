// `import styled from 'styled-components'` in our sources means the bundle's ES-module default (what webpack
// hands the extension). Node loads styled-components 5 as CommonJS, whose default import is the whole exports
// object; this module gives our code the same `styled` function the CommonJS @kubed/components get (one instance,
// one theme context).
import styledComponents from 'styled-components';

export default styledComponents.default;
