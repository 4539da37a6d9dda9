import { describe, expect, it } from 'vitest';
import { QuotaExceededError } from '../errors.ts';
import type { Reservation } from '../model/index.ts';
import {
  changeOf,
  checkBudgetChange,
  checkChange,
  countedWhileInFlight,
  leaseLapsed,
  recount,
  sameTotals,
  type Totals,
  tookEffect,
  withRelease,
  withReservation,
  withSettled,
  withSettlements,
} from './reservations.ts';

const children = {
  web: { 'requests.cpu': '4', 'requests.memory': '8Gi' },
  api: { 'requests.cpu': '2', 'requests.memory': '4Gi' },
};
const totals: Totals = {
  parent: 'tenant acme/payments',
  childKind: 'space',
  budget: { cpu: '8', memory: '16Gi' },
  allocated: { 'requests.cpu': '6', 'requests.memory': '12Gi' },
};

function refusal(fn: () => void): QuotaExceededError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(QuotaExceededError);
    return err as QuotaExceededError;
  }
  throw new Error('expected a QuotaExceededError');
}

function entry(id: string, basis: Record<string, string>, target: Record<string, string>): Reservation {
  const { grow, shrink } = changeOf(basis, target);
  const list = (m: Map<string, bigint>) => Object.fromEntries([...m].map(([r, q]) => [r, `${q}m`]));
  return {
    id,
    kind: 'change',
    since: '2026-12-03T00:00:00Z',
    leaseSeconds: 30,
    basis,
    target,
    ...(grow.size > 0 && { grow: list(new Map([...grow].map(([r, q]) => [r, q]))) }),
    ...(shrink.size > 0 && { shrink: list(new Map([...shrink].map(([r, q]) => [r, q]))) }),
  };
}

describe('checkChange', () => {
  it('accepts a new child that fits exactly in what is free', () => {
    expect(() => checkChange(totals, 'dev', {}, { cpu: '2', memory: '4Gi' })).not.toThrow();
    expect(() => checkChange(totals, 'dev', {}, { cpu: '2000m', memory: '4096Mi' })).not.toThrow();
  });

  it('refuses a child above the remaining budget, naming resource, amounts and the holders it is given', () => {
    const err = refusal(() => checkChange(totals, 'dev', {}, { cpu: '2500m', memory: '1Gi' }, children));
    expect(err).toMatchObject({ resource: 'requests.cpu', requested: '2500m', free: '2', budget: '8', parent: 'tenant acme/payments' });
    expect(err.holders).toEqual([
      { name: 'space/web', amount: '4' },
      { name: 'space/api', amount: '2' },
    ]);
    expect(err.message).toBe(
      'space "dev" asks for requests.cpu=2500m, but tenant acme/payments has only 2 free of 8 (held by space/web (4), space/api (2)). Ask for 2 or less, or free some up.',
    );
  });

  it('says to free some up when nothing is free', () => {
    const full = { ...totals, allocated: { 'requests.cpu': '8', 'requests.memory': '14Gi' } };
    const err = refusal(() => checkChange(full, 'dev', {}, { cpu: '1', memory: '1Gi' }));
    expect(err.free).toBe('0');
    expect(err.message).toContain('has none free of 8 (nothing else holds any). Free some up');
  });

  it("checks growth only: the child's own allocation counts as free to it", () => {
    expect(() => checkChange(totals, 'web', children.web, { cpu: '6', memory: '8Gi' })).not.toThrow();
    expect(refusal(() => checkChange(totals, 'web', children.web, { cpu: '6001m', memory: '8Gi' })).free).toBe('6');
  });

  it('lets a child shrink or keep a resource in an overcommitted parent', () => {
    const over = { ...totals, budget: { cpu: '4', memory: '16Gi' } };
    expect(() => checkChange(over, 'web', children.web, { cpu: '3', memory: '9Gi' })).not.toThrow();
    expect(() => checkChange(over, 'web', children.web, { cpu: '5', memory: '8Gi' })).toThrow(QuotaExceededError);
  });

  it('requires a child to ask for every resource its parent budgets', () => {
    const err = refusal(() => checkChange(totals, 'dev', {}, { cpu: '1' }));
    expect(err.resource).toBe('requests.memory');
    expect(err.message).toContain('must ask for requests.memory');
  });

  it('leaves resources the parent does not name unbounded', () => {
    expect(() => checkChange(totals, 'dev', {}, { cpu: '1', memory: '1Gi', pods: '1000' })).not.toThrow();
  });

  it('is exact at milli-unit precision', () => {
    const tight: Totals = { ...totals, budget: { cpu: '1' }, allocated: { 'requests.cpu': '666m' } };
    expect(() => checkChange(tight, 'c', {}, { cpu: '334m' })).not.toThrow();
    expect(() => checkChange(tight, 'c', {}, { cpu: '335m' })).toThrow(QuotaExceededError);
  });
});

describe('checkBudgetChange', () => {
  it('refuses to shrink below what children hold, naming them', () => {
    const err = refusal(() => checkBudgetChange(totals, { cpu: '5', memory: '16Gi' }, children));
    expect(err.resource).toBe('requests.cpu');
    expect(err.message).toContain('cannot shrink requests.cpu to 5: its spaces hold 6 (held by space/web (4), space/api (2))');
  });

  it('allows shrinking down to exactly what is held', () => {
    expect(() => checkBudgetChange(totals, { cpu: '6', memory: '12Gi' })).not.toThrow();
  });
});

describe('reservations', () => {
  const status = { usage: { allocated: { 'requests.cpu': '6' } } };

  it('counts the growth at once, gives back the shrink only once the change took effect', () => {
    const grow = entry('g', { 'requests.cpu': '1' }, { 'requests.cpu': '3' });
    const reserved = withReservation(status, 'web', grow);
    expect(reserved.usage?.allocated).toEqual({ 'requests.cpu': '8' });
    expect(reserved.reservations?.web?.id).toBe('g');
    expect(withSettled(reserved, 'web', 'g', true)?.usage?.allocated).toEqual({ 'requests.cpu': '8' });
    expect(withSettled(reserved, 'web', 'g', false)?.usage?.allocated).toEqual({ 'requests.cpu': '6' });
    expect(withSettled(reserved, 'web', 'g', true)?.reservations).toBeUndefined();

    const shrink = entry('s', { 'requests.cpu': '4' }, { 'requests.cpu': '1' });
    const held = withReservation(status, 'web', shrink);
    expect(held.usage?.allocated).toEqual({ 'requests.cpu': '6' });
    expect(withSettled(held, 'web', 's', true)?.usage?.allocated).toEqual({ 'requests.cpu': '3' });
    expect(withSettled(held, 'web', 's', false)?.usage?.allocated).toEqual({ 'requests.cpu': '6' });
  });

  it('settles several at once, and says when none of them was still there', () => {
    const two = withReservation(
      withReservation(status, 'a', entry('ga', {}, { 'requests.cpu': '1' })),
      'b',
      entry('gb', {}, { 'requests.cpu': '2' }),
    );
    const both = withSettlements(two, [
      { child: 'a', id: 'ga', tookEffect: true },
      { child: 'b', id: 'gb', tookEffect: false },
    ]);
    expect(both?.usage?.allocated).toEqual({ 'requests.cpu': '7' });
    expect(both?.reservations).toBeUndefined();
    expect(withSettlements(both, [{ child: 'a', id: 'ga', tookEffect: true }])).toBeUndefined();
  });

  it('settles a reservation once: a second settlement, or one for another id, changes nothing', () => {
    const reserved = withReservation(status, 'web', entry('g', {}, { 'requests.cpu': '2' }));
    const once = withSettled(reserved, 'web', 'g', false);
    expect(once?.usage?.allocated).toEqual({ 'requests.cpu': '6' });
    expect(withSettled(once, 'web', 'g', false)).toBeUndefined();
    expect(withSettled(reserved, 'web', 'other', true)).toBeUndefined();
  });

  it('releases what a parent counts for a child, once, and keeps the release until it is settled', () => {
    const inFlight = entry('g', { 'requests.cpu': '1' }, { 'requests.cpu': '3' });
    expect(countedWhileInFlight(inFlight)).toEqual({ 'requests.cpu': '3' });
    const release: Reservation = { id: 'r', kind: 'release', since: '2026-12-03T00:00:00Z', leaseSeconds: 0 };
    // The 6 include web's 1; the reservation adds 2; the release takes web's 1 and the 2 off: the others' 5 stay.
    const released = withRelease(withReservation(status, 'web', inFlight), 'web', release, countedWhileInFlight(inFlight));
    expect(released.usage?.allocated).toEqual({ 'requests.cpu': '5' });
    expect(released.reservations?.web?.kind).toBe('release');
    expect(withSettled(released, 'web', 'r', true)?.usage?.allocated).toEqual({ 'requests.cpu': '5' });
    expect(withSettled(released, 'web', 'r', true)?.reservations).toBeUndefined();
  });

  it('recounts a total from what the children recorded, zero counting as absent', () => {
    expect(recount([{ allocation: children.web }, { allocation: children.api }, {}])).toEqual({
      'requests.cpu': '6',
      'requests.memory': '12Gi',
    });
    expect(sameTotals({ 'requests.cpu': '6', pods: '0' }, { 'requests.cpu': '6000m' })).toBe(true);
    expect(sameTotals({ 'requests.cpu': '6' }, { 'requests.cpu': '5' })).toBe(false);
  });

  it('counts a recorded change as in effect only once its shrink is in force in the child', () => {
    const grow = entry('g', { 'requests.cpu': '1' }, { 'requests.cpu': '3' });
    expect(tookEffect(grow, undefined)).toBe(false);
    expect(tookEffect(grow, { allocationId: 'other' })).toBe(false);
    // Growth frees nothing, so recording it is enough.
    expect(tookEffect(grow, { allocationId: 'g' })).toBe(true);
    const shrink = entry('s', { 'requests.cpu': '4' }, { 'requests.cpu': '1' });
    // Recorded, but the quota still grants 4: a sibling must not get the 3 yet.
    expect(tookEffect(shrink, { allocationId: 's', appliedAllocationId: 'before' })).toBe(false);
    expect(tookEffect(shrink, { allocationId: 's' })).toBe(false);
    expect(tookEffect(shrink, { allocationId: 's', appliedAllocationId: 's' })).toBe(true);
    // In force but not recorded cannot happen; were it to, nothing is given back on its word.
    expect(tookEffect(shrink, { allocationId: 'x', appliedAllocationId: 's' })).toBe(false);
  });

  it("lets a maker's lease lapse only after twice its length", () => {
    const made = entry('c', {}, { 'requests.cpu': '1' });
    const since = Date.parse(made.since);
    expect(leaseLapsed(made, since)).toBe(false);
    expect(leaseLapsed(made, since + 60_000)).toBe(false);
    expect(leaseLapsed(made, since + 60_001)).toBe(true);
  });
});
