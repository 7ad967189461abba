/* eslint-disable */
/**
 * An in-memory test double of EventStoreDB 24.10's gRPC API, written from the server's source
 * (EventStore/EventStore at tag v24.10.4; paths below are under src/EventStore.Core/). It is NOT
 * EventStoreDB: it lets the store contract run through the real @eventstore/db-client 6.2.1 (its
 * gRPC encoding, its choice of call, its errors and reconnections) where no server can run, and it
 * behaves like the server wherever the adapter can notice:
 *
 * - ServerFeatures lists the methods served, BatchAppend among them, so the client appends through
 *   BatchAppend as it does against a real server (Services/Transport/Grpc/ServerFeatures.cs).
 *   `batchAppend: false` serves neither, as servers before 21.10: the client falls back to Append.
 * - Appends follow IndexWriter.CheckCommit (Services/Storage/ReaderIndex/IndexWriter.cs) and
 *   StorageWriterService.ActOnCommitCheckFailure (Services/Storage/StorageWriterService.cs): the
 *   same ids below the current revision are success with nothing written, answering the original
 *   revision and position; a different first id is a wrong expected version, and so are partial
 *   duplicates; at the current revision ids are not checked and the events are written again.
 * - Errors are encoded per call as the server does: BatchAppend answers a Status with a packed
 *   detail per request (Services/Transport/Grpc/Streams.BatchAppend.cs, Status.cs,
 *   WrongExpectedVersion.cs; NotReady with an Empty detail); Append and reads throw RpcExceptions
 *   with trailers (Services/Transport/Grpc/RpcExceptions.cs, Constants.cs).
 * - Appends over 1 MiB (data + metadata + 2 × type length, Data/Event.cs SizeOnDisk; the default
 *   of Configuration/ClusterVNodeOptions.cs MaxAppendSize) are refused.
 * - Soft delete and tombstone as StorageWriterService.WriteDelete writes them.
 * - A cluster of `nodes` (gossip, Services/Transport/Grpc/Gossip.cs): after `switchLeader`,
 *   leader-pinned calls to a follower get NotLeader with the leader's address and unpinned writes
 *   are forwarded; during an `election` writes and leader-pinned reads get NotReady
 *   (Services/VNode/ClusterVNodeController.cs HandleAsNonLeader, DenyRequestBecauseNotReady).
 * - Write timeouts (Streams.BatchAppend.cs Status.Timeout, Streams.Append.cs RpcExceptions.Timeout)
 *   after `writeTimeoutMs` (the server's WriteTimeoutMs, 2 s by default), with or without the write.
 * Positions: each event is its own committed record at (L, L); an append answers its last event's;
 * $all forwards from P includes P, backwards from P excludes it; a subscription excludes its start.
 * Not modelled: the 8 MiB cache limit of ids checked under `any`/`stream_exists` (every id is kept),
 * IdempotentNotReady (a duplicate of a write not yet replicated), scavenges, ACLs, checkpoints.
 */
'use strict';
const path = require('node:path');
const clientDir = path.dirname(require.resolve('@eventstore/db-client/package.json'));
const fromClient = (id) => require(require.resolve(id, { paths: [clientDir] }));
const grpc = fromClient('@grpc/grpc-js');
const { Any } = fromClient('google-protobuf/google/protobuf/any_pb');
const { Empty: PbEmpty } = fromClient('google-protobuf/google/protobuf/empty_pb');
const streamsGrpc = require('@eventstore/db-client/generated/streams_grpc_pb');
const pb = require('@eventstore/db-client/generated/streams_pb');
const shared = require('@eventstore/db-client/generated/shared_pb');
const statusPb = require('@eventstore/db-client/generated/status_pb');
const gossipGrpc = require('@eventstore/db-client/generated/gossip_grpc_pb');
const gossipPb = require('@eventstore/db-client/generated/gossip_pb');
const featuresGrpc = require('@eventstore/db-client/generated/serverfeatures_grpc_pb');
const featuresPb = require('@eventstore/db-client/generated/serverfeatures_pb');

/** EventNumber.DeletedStream: a tombstone's event number, and $tb of a soft-deleted stream. */
const DELETED_STREAM = 9223372036854775807n;
const VNodeState = gossipPb.MemberInfo.VNodeState;

/** The server's default MaxAppendSize (Configuration/ClusterVNodeOptions.cs). */
const MAX_APPEND_SIZE = 1024 * 1024;

function createFake(opts = {}) {
  const writeTimeoutMs = opts.writeTimeoutMs ?? 2000;
  const log = []; // {stream, revision, id, type, contentType, data, meta, pos}
  const streams = new Map(); // stream -> last event number (soft-deleted streams keep theirs)
  const tombstoned = new Set();
  const subs = new Set();
  let nextPos = 1000n;
  /** The node that leads, or null during an election. */
  let leader = 0;
  const faults = []; // {test, kind} for the next appends that match
  /** What the fake answered, for tests to show which paths they took. */
  const stats = { notLeader: 0, notReady: 0, duplicatesAnswered: 0 };
  let gate = null; // {test, count, timeoutMs, groups: stream -> {held, timer}}
  const nodes = Array.from({ length: opts.nodes ?? 1 }, (_, index) => ({ index, server: null, port: 0, up: false }));

  // ---------------------------------------------------------------------------------------------
  // The log

  const eventsOf = (name) => log.filter((e) => e.stream === name);
  /** $tb of the stream's metadata (System/SystemMetadata.cs TruncateBefore): events below are hidden. */
  function truncateBefore(name) {
    const meta = eventsOf(`$$${name}`).pop();
    if (!meta) return -1n;
    const tb = /"\$tb"\s*:\s*(\d+)/.exec(Buffer.from(meta.data).toString('utf8'));
    return tb ? BigInt(tb[1]) : -1n;
  }
  const isSoftDeleted = (name) => truncateBefore(name) === DELETED_STREAM;
  const visible = (name) => {
    const tb = truncateBefore(name);
    return eventsOf(name).filter((e) => e.revision >= tb && e.revision !== DELETED_STREAM);
  };

  function record(stream, revision, id, type, data, meta, contentType = 'application/json') {
    nextPos += 100n;
    const e = { stream, revision, id, type, contentType, data, meta, pos: nextPos };
    log.push(e);
    if (revision !== DELETED_STREAM) streams.set(stream, revision);
    return e;
  }

  function publish(events) {
    // Live delivery after the answer, as the server does, each event on its own.
    setImmediate(() => {
      for (const sub of subs) for (const e of events) sub.send(e);
    });
  }

  function writeMetadata(name, json) {
    const meta = `$$${name}`;
    const e = record(
      meta,
      (streams.get(meta) ?? -1n) + 1n,
      randomId(),
      '$metadata',
      Buffer.from(json),
      Buffer.alloc(0),
    );
    publish([e]);
  }

  /**
   * IndexWriter.CheckCommit. `expected` is 'any' | 'no_stream' | 'stream_exists' | bigint.
   * Answers {ok: current} | {idempotent: [first, last]} | {wrongExpected: current} | {deleted: true}.
   */
  function checkCommit(name, expected, ids) {
    if (tombstoned.has(name)) return { deleted: true };
    const current = streams.has(name) ? streams.get(name) : -1n;
    const softDeleted = isSoftDeleted(name);
    if (expected === 'stream_exists') {
      if (softDeleted) return { deleted: true };
      if (current < 0n) return { wrongExpected: current };
    }
    const at = (revision) => log.find((e) => e.stream === name && e.revision === revision);
    if (expected === 'any' || expected === 'stream_exists') {
      // Under any/stream_exists only a cache of recent ids is looked at (every id, here).
      const found = ids.map((id) => log.find((e) => e.stream === name && e.id === id));
      if (ids.length === 0 || !found[0]) return { ok: current };
      if (found.some((e) => !e)) return { wrongExpected: current }; // CorruptedIdempotency
      return { idempotent: [found[0].revision, found[found.length - 1].revision] };
    }
    const exp = expected === 'no_stream' ? -1n : expected;
    if (exp < current) {
      let n = exp;
      for (const id of ids) {
        n += 1n;
        if (at(n)?.id === id) continue;
        if (n !== exp + 1n) return { wrongExpected: current }; // a partial duplicate
        if (exp === -1n && softDeleted) return { ok: current }; // recreates the stream
        return { wrongExpected: current };
      }
      if (n === exp) return { wrongExpected: current };
      return { idempotent: [exp + 1n, n] };
    }
    if (exp > current) return { wrongExpected: current };
    return { ok: current }; // expected = current: the ids are not checked
  }

  /** One append as the storage writer runs it: the result to encode, and the events written. */
  function commit(name, expected, proposed) {
    const check = checkCommit(
      name,
      expected,
      proposed.map((p) => p.id),
    );
    if (!('ok' in check)) {
      if ('idempotent' in check) {
        stats.duplicatesAnswered += 1;
        const last = log.find((e) => e.stream === name && e.revision === check.idempotent[1]);
        return { success: { revision: check.idempotent[1], pos: last.pos } };
      }
      return check;
    }
    const recreated = isSoftDeleted(name) && check.ok >= 0n;
    let revision = check.ok;
    const written = proposed.map((p) => record(name, ++revision, p.id, p.type, p.data, p.meta, p.contentType));
    // StorageWriterService.SoftUndeleteStream: the stream starts again after its old events.
    if (recreated) writeMetadata(name, `{"$tb":${check.ok + 1n}}`);
    publish(written);
    return { success: { revision, pos: written[written.length - 1].pos } };
  }

  const sizeOnDisk = (p) => p.data.length + p.meta.length + p.type.length * 2;

  /** Routes an append through the cluster, faults and gate; `answer` gets the result once. */
  function submit(node, pinned, name, expected, proposed, answer) {
    // ClusterVNodeController: no leader → NotReady; a pinned write to a follower → NotLeader;
    // an unpinned one is forwarded to the leader.
    if (leader === null) return (stats.notReady++, answer({ notReady: true }));
    if (pinned && node.index !== leader) return (stats.notLeader++, answer({ notLeader: nodes[leader] }));
    if (proposed.reduce((n, p) => n + sizeOnDisk(p), 0) > MAX_APPEND_SIZE) return answer({ tooBig: true });
    const run = () => {
      const k = faults.findIndex((f) => f.test.test(name));
      const fault = k >= 0 ? faults.splice(k, 1)[0].kind : null;
      if (fault === 'not-ready') return (stats.notReady++, answer({ notReady: true }));
      if (fault === 'timeout-after-write') commit(name, expected, proposed);
      if (fault) return setTimeout(() => answer({ timeout: true }), writeTimeoutMs);
      answer(commit(name, expected, proposed));
    };
    if (gate && gate.test.test(name)) return hold(gate, name, run);
    run();
  }

  /** Holds a stream's appends until `count` of them wait (or the gate's time is up), then runs them in order. */
  function hold(g, name, run) {
    let group = g.groups.get(name);
    if (!group) g.groups.set(name, (group = { held: [], timer: null }));
    group.held.push(run);
    const release = () => {
      if (g.groups.get(name) !== group) return;
      g.groups.delete(name);
      clearTimeout(group.timer);
      group.held.forEach((r) => r());
    };
    if (group.held.length >= g.count) release();
    else if (group.held.length === 1) group.timer = setTimeout(release, g.timeoutMs);
  }

  // ---------------------------------------------------------------------------------------------
  // Encoding

  function uuid(id) {
    const u = new shared.UUID();
    u.setString(id);
    return u;
  }
  function streamIdentifier(name) {
    const s = new shared.StreamIdentifier();
    s.setStreamName(Buffer.from(name));
    return s;
  }
  const nameOf = (sid) => Buffer.from(sid.getStreamName()).toString('utf8');
  const isPinned = (call) => call.metadata.get('requires-leader')[0] === 'true';

  /** An RpcException as the server throws it (RpcExceptions.cs): a status with trailers. */
  function rpcError(code, details, trailers = {}) {
    const metadata = new grpc.Metadata();
    for (const [k, v] of Object.entries(trailers)) metadata.set(k, v);
    return { code, details, metadata };
  }
  const notLeader = (to) =>
    rpcError(grpc.status.NOT_FOUND, 'Leader info available', {
      exception: 'not-leader',
      'leader-endpoint-host': '127.0.0.1',
      'leader-endpoint-port': String(to.port),
    });
  const notReady = () => rpcError(grpc.status.UNAVAILABLE, 'Server Is Not Ready');
  const streamDeleted = (name) =>
    rpcError(grpc.status.FAILED_PRECONDITION, `Event stream '${name}' is deleted.`, {
      exception: 'stream-deleted',
      'stream-name': name,
    });

  function recorded(e) {
    const r = new pb.ReadResp.ReadEvent.RecordedEvent();
    r.setId(uuid(e.id));
    r.setStreamIdentifier(streamIdentifier(e.stream));
    r.setStreamRevision(e.revision.toString());
    r.setCommitPosition(e.pos.toString());
    r.setPreparePosition(e.pos.toString());
    r.getMetadataMap().set('type', e.type);
    r.getMetadataMap().set('content-type', e.contentType);
    r.getMetadataMap().set('created', '0');
    r.setCustomMetadata(e.meta);
    r.setData(e.data);
    const re = new pb.ReadResp.ReadEvent();
    re.setEvent(r);
    re.setCommitPosition(e.pos.toString());
    const resp = new pb.ReadResp();
    resp.setEvent(re);
    return resp;
  }

  function matchesFilter(e, filter) {
    if (!filter) return true;
    const expr = filter.hasEventType() ? filter.getEventType() : filter.getStreamIdentifier();
    const subject = filter.hasEventType() ? e.type : e.stream;
    if (expr.getRegex()) return new RegExp(expr.getRegex()).test(subject);
    return expr.getPrefixList().some((p) => subject.startsWith(p));
  }

  function proposedOf(m) {
    return {
      id: m.getId().getString(),
      type: m.getMetadataMap().get('type'),
      contentType: m.getMetadataMap().get('content-type'),
      data: Buffer.from(m.getData_asU8()),
      meta: Buffer.from(m.getCustomMetadata_asU8()),
    };
  }

  function expectedOf(o) {
    if (o.hasNoStream()) return 'no_stream';
    if (o.hasAny()) return 'any';
    if (o.hasStreamExists()) return 'stream_exists';
    return BigInt(o.hasRevision?.() ? o.getRevision() : o.getStreamPosition());
  }

  /** A google.rpc.Status with a packed detail, as Status.cs builds them for BatchAppend. */
  function status(code, message, detail, typeName) {
    const s = new statusPb.Status();
    s.setCode(code);
    s.setMessage(message);
    const any = new Any();
    any.pack(detail.serializeBinary(), typeName);
    s.setDetails(any);
    return s;
  }

  function wrongExpectedDetail(expected, current) {
    const w = new shared.WrongExpectedVersion();
    if (current >= 0n) w.setCurrentStreamRevision(current.toString());
    else w.setCurrentNoStream(new PbEmpty());
    if (expected === 'no_stream') w.setExpectedNoStream(new PbEmpty());
    else if (expected === 'any') w.setExpectedAny(new PbEmpty());
    else if (expected === 'stream_exists') w.setExpectedStreamExists(new PbEmpty());
    else w.setExpectedStreamPosition(expected.toString());
    return w;
  }

  /** Streams.BatchAppend.cs ConvertMessage: the per-request answer (NotLeader fails the whole call). */
  function batchAnswer(correlation, name, expected, result) {
    const resp = new pb.BatchAppendResp();
    resp.setCorrelationId(correlation);
    resp.setStreamIdentifier(streamIdentifier(name));
    if (result.success) {
      const s = new pb.BatchAppendResp.Success();
      s.setCurrentRevision(result.success.revision.toString());
      const p = new shared.AllStreamPosition();
      p.setCommitPosition(result.success.pos.toString());
      p.setPreparePosition(result.success.pos.toString());
      s.setPosition(p);
      resp.setSuccess(s);
    } else if (result.wrongExpected !== undefined) {
      resp.setError(
        status(
          6, // ALREADY_EXISTS
          'WrongExpectedVersion',
          wrongExpectedDetail(expected, result.wrongExpected),
          'event_store.client.WrongExpectedVersion',
        ),
      );
    } else if (result.deleted) {
      const d = new shared.StreamDeleted();
      d.setStreamIdentifier(streamIdentifier(name));
      resp.setError(status(5, 'StreamDeleted', d, 'event_store.client.StreamDeleted'));
    } else if (result.timeout) {
      resp.setError(status(4, 'Timeout', new shared.Timeout(), 'event_store.client.Timeout'));
    } else if (result.tooBig) {
      const m = new shared.MaximumAppendSizeExceeded();
      m.setMaxappendsize(MAX_APPEND_SIZE);
      resp.setError(status(3, 'MaximumAppendSizeExceeded', m, 'event_store.client.MaximumAppendSizeExceeded'));
    } else if (result.notReady) {
      // No code and an Empty detail: client 6.2.1 reports it as UnknownError and stays connected.
      resp.setError(status(0, 'Server Is Not Ready', new PbEmpty(), 'google.protobuf.Empty'));
    }
    return resp;
  }

  // ---------------------------------------------------------------------------------------------
  // The services of one node

  function streamsService(node) {
    return {
      read(call) {
        const o = call.request.getOptions();
        if (isPinned(call) && leader !== node.index) {
          stats[leader === null ? 'notReady' : 'notLeader'] += 1;
          call.emit('error', leader === null ? notReady() : notLeader(nodes[leader]));
          return;
        }
        const count = o.hasCount() ? BigInt(o.getCount()) : 0n;
        const backwards = o.getReadDirection() === 1;
        if (o.hasStream()) {
          const so = o.getStream();
          const name = nameOf(so.getStreamIdentifier());
          if (tombstoned.has(name)) return call.emit('error', streamDeleted(name));
          let evs = streams.has(name) ? visible(name) : [];
          if (evs.length === 0) {
            const nf = new pb.ReadResp.StreamNotFound();
            nf.setStreamIdentifier(so.getStreamIdentifier());
            const resp = new pb.ReadResp();
            resp.setStreamNotFound(nf);
            call.write(resp);
            call.end();
            return;
          }
          if (backwards) {
            evs.reverse();
            if (so.hasRevision()) evs = evs.filter((e) => e.revision <= BigInt(so.getRevision()));
          } else if (so.hasRevision()) evs = evs.filter((e) => e.revision >= BigInt(so.getRevision()));
          evs.slice(0, Number(count)).forEach((e) => call.write(recorded(e)));
          call.end();
          return;
        }
        const ao = o.getAll();
        if (o.hasSubscription()) {
          const conf = new pb.ReadResp.SubscriptionConfirmation();
          conf.setSubscriptionId('sub');
          const cr = new pb.ReadResp();
          cr.setConfirmation(conf);
          call.write(cr);
          const filter = o.hasFilter() ? o.getFilter() : null;
          const from = ao.hasPosition() ? BigInt(ao.getPosition().getCommitPosition()) : ao.hasEnd() ? nextPos : -1n;
          for (const e of log) if (e.pos > from && matchesFilter(e, filter)) call.write(recorded(e));
          const sub = {
            call,
            node,
            send: (e) => {
              if (matchesFilter(e, filter)) call.write(recorded(e));
            },
          };
          subs.add(sub);
          call.on('cancelled', () => subs.delete(sub));
          return;
        }
        let evs;
        if (backwards) {
          const from = ao.hasPosition() ? BigInt(ao.getPosition().getCommitPosition()) : nextPos + 1n;
          evs = log.filter((e) => e.pos < from).reverse();
        } else {
          const from = ao.hasPosition() ? BigInt(ao.getPosition().getCommitPosition()) : -1n;
          evs = log.filter((e) => e.pos >= from);
        }
        evs.slice(0, Number(count)).forEach((e) => call.write(recorded(e)));
        call.end();
      },

      // Streams.Append.cs: the one-shot call of clients that find no BatchAppend.
      append(call, callback) {
        let options;
        const proposed = [];
        call.on('data', (req) => {
          if (req.hasOptions()) options = req.getOptions();
          else proposed.push(proposedOf(req.getProposedMessage()));
        });
        call.on('end', () => {
          const name = nameOf(options.getStreamIdentifier());
          const expected = expectedOf(options);
          submit(node, isPinned(call), name, expected, proposed, (result) => {
            if (result.notLeader) return callback(notLeader(result.notLeader));
            if (result.notReady) return callback(notReady());
            if (result.deleted) return callback(streamDeleted(name));
            if (result.timeout) return callback(rpcError(grpc.status.ABORTED, 'Operation timed out: CommitTimeout'));
            if (result.tooBig)
              return callback(
                rpcError(grpc.status.INVALID_ARGUMENT, `Maximum Append Size of ${MAX_APPEND_SIZE} Exceeded.`, {
                  exception: 'maximum-append-size-exceeded',
                  'maximum-append-size': String(MAX_APPEND_SIZE),
                }),
              );
            const resp = new pb.AppendResp();
            if (result.success) {
              const s = new pb.AppendResp.Success();
              s.setCurrentRevision(result.success.revision.toString());
              const p = new pb.AppendResp.Position();
              p.setCommitPosition(result.success.pos.toString());
              p.setPreparePosition(result.success.pos.toString());
              s.setPosition(p);
              resp.setSuccess(s);
            } else {
              const w = new pb.AppendResp.WrongExpectedVersion();
              const current = result.wrongExpected;
              if (current >= 0n) w.setCurrentRevision(current.toString());
              else w.setCurrentNoStream(new shared.Empty());
              if (expected === 'no_stream') w.setExpectedNoStream(new shared.Empty());
              else if (expected === 'stream_exists') w.setExpectedStreamExists(new shared.Empty());
              else if (expected === 'any') w.setExpectedAny(new shared.Empty());
              else w.setExpectedRevision(expected.toString());
              resp.setWrongExpectedVersion(w);
            }
            callback(null, resp);
          });
        });
      },

      // Streams.BatchAppend.cs: one long-lived call, requests told apart by correlation id.
      batchAppend(call) {
        const pending = new Map();
        let inFlight = 0;
        let ended = false;
        let failed = false;
        const maybeEnd = () => ended && inFlight === 0 && !failed && call.end();
        call.on('cancelled', () => (failed = true));
        call.on('data', (req) => {
          const correlation = req.getCorrelationId();
          const key = correlation.getString();
          if (req.hasOptions()) {
            const o = req.getOptions();
            pending.set(key, { name: nameOf(o.getStreamIdentifier()), expected: expectedOf(o), proposed: [] });
          }
          const p = pending.get(key);
          if (!p) return;
          p.proposed.push(...req.getProposedMessagesList().map(proposedOf));
          if (!req.getIsFinal()) return;
          pending.delete(key);
          inFlight += 1;
          submit(node, isPinned(call), p.name, p.expected, p.proposed, (result) => {
            inFlight -= 1;
            if (failed) return;
            if (result.notLeader) {
              // RpcExceptions.LeaderInfo thrown in the callback: it fails the whole call.
              failed = true;
              call.emit('error', notLeader(result.notLeader));
              return;
            }
            call.write(batchAnswer(correlation, p.name, p.expected, result));
            maybeEnd();
          });
        });
        call.on('end', () => {
          ended = true;
          maybeEnd();
        });
      },

      // Streams.Delete.cs / Streams.Tombstone.cs, written as StorageWriterService.WriteDelete does.
      delete(call, callback) {
        remove(call, callback, false, () => new pb.DeleteResp());
      },
      tombstone(call, callback) {
        remove(call, callback, true, () => new pb.TombstoneResp());
      },
    };
  }

  function remove(call, callback, hard, makeResp) {
    const o = call.request.getOptions();
    const name = nameOf(o.getStreamIdentifier());
    const check = checkCommit(name, expectedOf(o), [randomId()]);
    if (check.deleted) return callback(streamDeleted(name));
    if (check.wrongExpected !== undefined || (!hard && !streams.has(name) && !streams.has(`$$${name}`))) {
      const current = streams.get(name) ?? -1n;
      return callback(
        rpcError(grpc.status.FAILED_PRECONDITION, 'Delete failed due to WrongExpectedVersion.', {
          exception: 'wrong-expected-version',
          'stream-name': name,
          'expected-version': String(o.hasRevision() ? o.getRevision() : -1),
          'actual-version': current >= 0n ? current.toString() : '',
        }),
      );
    }
    if (hard) {
      tombstoned.add(name);
      publish([
        record(
          name,
          DELETED_STREAM,
          randomId(),
          '$streamDeleted',
          Buffer.alloc(0),
          Buffer.alloc(0),
          'application/octet-stream',
        ),
      ]);
    } else {
      writeMetadata(name, `{"$tb":${DELETED_STREAM}}`);
    }
    const resp = makeResp();
    resp.setNoPosition(new shared.Empty());
    callback(null, resp);
  }

  function member(n) {
    const m = new gossipPb.MemberInfo();
    m.setInstanceId(uuid(`00000000-0000-4000-8000-00000000000${n.index}`));
    m.setTimeStamp(String(Date.now()));
    m.setState(
      !n.up
        ? VNodeState.SHUTDOWN
        : leader === null
          ? VNodeState.UNKNOWN
          : leader === n.index
            ? VNodeState.LEADER
            : VNodeState.FOLLOWER,
    );
    m.setIsAlive(n.up);
    const ep = new gossipPb.EndPoint();
    ep.setAddress('127.0.0.1');
    ep.setPort(n.port);
    m.setHttpEndPoint(ep);
    return m;
  }

  const gossipService = {
    read(_call, callback) {
      const info = new gossipPb.ClusterInfo();
      info.setMembersList(nodes.map(member));
      callback(null, info);
    },
  };

  const featuresService = {
    getSupportedMethods(_call, callback) {
      const methods = [
        ['event_store.client.streams.streams', 'read', ['position', 'events']],
        ['event_store.client.streams.streams', 'append', []],
        ['event_store.client.streams.streams', 'delete', []],
        ['event_store.client.streams.streams', 'tombstone', []],
        ['event_store.client.streams.streams', 'batchappend', ['deadline_duration']],
        ['event_store.client.gossip.gossip', 'read', []],
        ['event_store.client.server_features.serverfeatures', 'getsupportedmethods', []],
      ].map(([service, method, features]) => {
        const m = new featuresPb.SupportedMethod();
        m.setServiceName(service);
        m.setMethodName(method);
        m.setFeaturesList(features);
        return m;
      });
      const out = new featuresPb.SupportedMethods();
      out.setEventStoreServerVersion('24.10.4');
      out.setMethodsList(methods);
      callback(null, out);
    },
  };

  function startNode(n) {
    const server = new grpc.Server();
    const streamsImpl = streamsService(n);
    if (opts.batchAppend === false) {
      // A server before 21.10: no ServerFeatures (UNIMPLEMENTED), no BatchAppend.
      delete streamsImpl.batchAppend;
      server.addService(
        Object.fromEntries(Object.entries(streamsGrpc.StreamsService).filter(([k]) => k !== 'batchAppend')),
        streamsImpl,
      );
    } else {
      server.addService(streamsGrpc.StreamsService, streamsImpl);
      server.addService(featuresGrpc.ServerFeaturesService, featuresService);
    }
    server.addService(gossipGrpc.GossipService, gossipService);
    n.server = server;
    return new Promise((res, rej) =>
      server.bindAsync(`127.0.0.1:${n.port}`, grpc.ServerCredentials.createInsecure(), (err, port) => {
        if (err) return rej(err);
        n.port = port;
        n.up = true;
        res(port);
      }),
    );
  }

  /** Ends the subscriptions a node serves: the server drops them when the node changes role. */
  function dropSubscriptions(which = () => true) {
    for (const sub of [...subs]) {
      if (!which(sub)) continue;
      subs.delete(sub);
      sub.call.emit('error', { code: grpc.status.UNAVAILABLE, details: 'node went away' });
    }
  }

  return {
    log,
    streams,
    nodes,
    stats,
    /** The connection string of the cluster's seeds (of the one node, for a single node). */
    url: (query = 'tls=false') =>
      nodes.length === 1
        ? `esdb://127.0.0.1:${nodes[0].port}?${query}`
        : `esdb://${nodes.map((n) => `127.0.0.1:${n.port}`).join(',')}?${query}&nodePreference=leader`,
    /** Appends an event directly, as the server's own (e.g. $stats) or another application would. */
    systemEvent(stream, type) {
      const e = record(stream, (streams.get(stream) ?? -1n) + 1n, randomId(), type, Buffer.from('{}'), Buffer.alloc(0));
      for (const sub of subs) sub.send(e);
    },
    dropSubscriptions: () => dropSubscriptions(),
    /** The leader resigns and `to` leads (the old leader's subscriptions are dropped). */
    switchLeader(to) {
      const from = leader;
      leader = to;
      dropSubscriptions((s) => s.node.index === from);
    },
    /** No leader until endElection: NotReady for writes and leader-pinned reads. */
    startElection() {
      const from = leader;
      leader = null;
      dropSubscriptions((s) => s.node.index === from);
    },
    endElection(to) {
      leader = to;
    },
    /** The next append to a stream matching `stream` fails: 'not-ready', 'timeout', 'timeout-after-write'. */
    failNextAppend(kind, stream = /.*/) {
      faults.push({ kind, test: stream });
    },
    /**
     * From now on, holds the appends to each stream matching `stream` until `count` of them wait
     * (or `timeoutMs` pass), then runs them in arrival order: two writers that race reach the
     * server together, whatever the scheduling of their processes.
     */
    holdAppends(stream, count = 2, timeoutMs = 1000) {
      gate = { test: stream, count, timeoutMs, groups: new Map() };
    },
    stopHolding() {
      gate = null;
    },
    start: async () => {
      for (const n of nodes) await startNode(n);
      return nodes[0].port;
    },
    stopNode: (i) => {
      nodes[i].up = false;
      nodes[i].server.forceShutdown();
    },
    stop: () =>
      Promise.all(nodes.filter((n) => n.up).map((n) => new Promise((res) => n.server.tryShutdown(() => res())))),
    forceStop: () => nodes.filter((n) => n.up).forEach((n) => n.server.forceShutdown()),
  };
}

function randomId() {
  return require('node:crypto').randomUUID();
}

module.exports = { createFake };
