export function renderReliability(): void {}
