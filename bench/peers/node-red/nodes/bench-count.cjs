/**
 * The end of the dispatch flow: counts the messages it receives and does nothing else, the cheapest last node
 * Node-RED allows (the Causeway side counts in a listener on the engine). `GET /bench/counts` answers how many it
 * has received and how many the flow's generator has sent (from the flow's context).
 */
module.exports = function (RED) {
  let handled = 0;
  // The flow context of the latest instance: the generator keeps its count there.
  let flow = null;
  RED.httpNode.get('/bench/counts', (req, res) => {
    res.json({ handled, generated: flow?.get('generated') ?? 0 });
  });
  function BenchCount(config) {
    RED.nodes.createNode(this, config);
    flow = this.context().flow;
    this.on('input', (msg, send, done) => {
      handled++;
      done();
    });
  }
  RED.nodes.registerType('bench-count', BenchCount);
};
